import { z } from 'zod';
import type { OutboxEvent } from '../db/outbox-repository.ts';

/**
 * Every WebSocket message, both directions, as zod discriminated unions on `type`.
 * Clients may tag any message with `ref`; an error frame about that message echoes it.
 */

/** Largest client message accepted, in bytes (UTF-8). */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

const ref = z.string().max(64).optional();
const seq = z.number().int().min(0).max(2_147_483_647);

const volunteerAuth = z.object({ kind: z.literal('volunteer'), token: z.string().min(1).max(512) });
const bystanderAuth = z.object({
  kind: z.literal('bystander'),
  incidentId: z.uuid(),
  publicToken: z.string().min(1).max(512),
});

export const helloMessage = z.object({
  type: z.literal('hello'),
  auth: z.discriminatedUnion('kind', [volunteerAuth, bystanderAuth]),
  /** The last seq this device saw; the server sends what came after it. */
  lastSeq: seq.nullable().optional(),
  ref,
});

export const pingMessage = z.object({ type: z.literal('ping'), ref });

export const positionMessage = z.object({
  type: z.literal('position'),
  // zod 4 numbers are finite: NaN and ±Infinity are rejected.
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracyM: z.number().min(0).max(100_000).optional(),
  /** Building floor, 0 = ground. */
  level: z.number().int().min(-20).max(200).optional(),
  ref,
});

export const ackMessage = z.object({ type: z.literal('ack'), seq, ref });

export const respondMessage = z.object({
  type: z.literal('respond'),
  incidentId: z.uuid(),
  action: z.enum(['accept', 'decline', 'arrived']),
  ref,
});

export const clientMessage = z.discriminatedUnion('type', [helloMessage, pingMessage, positionMessage, ackMessage, respondMessage]);

export type ClientMessage = z.infer<typeof clientMessage>;
export type HelloMessage = z.infer<typeof helloMessage>;
export type PositionMessage = z.infer<typeof positionMessage>;
export type RespondAction = z.infer<typeof respondMessage>['action'];
/** A volunteer's shared position, as handlers receive it. */
export type Position = Omit<PositionMessage, 'type' | 'ref'>;

export const welcomeMessage = z.object({
  type: z.literal('welcome'),
  recipient: z.string(),
  /** The recipient's highest seq on the server. Below the device's own last seq, the device should forget it. */
  lastSeq: seq,
});

export const eventMessage = z.object({
  type: z.literal('event'),
  /**
   * The recipient's sequence number; null for an event sent while the database was unreachable
   * (an SOS raised from memory): it is not stored yet, and arrives again with a seq once it is.
   */
  seq: seq.nullable(),
  incidentId: z.uuid().nullable(),
  event: z.looseObject({ type: z.string() }),
});

export const pongMessage = z.object({ type: z.literal('pong'), ref });

export const errorMessage = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  ref,
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const serverMessage = z.discriminatedUnion('type', [welcomeMessage, eventMessage, pongMessage, errorMessage]);

export type ServerMessage = z.infer<typeof serverMessage>;
export type ErrorFrame = z.infer<typeof errorMessage>;
export type MessageIssue = { path: string; message: string };

export type ParsedClientMessage =
  | { ok: true; message: ClientMessage }
  | { ok: false; message: string; issues?: MessageIssue[]; ref?: string };

/** Parses and validates one client frame; never throws. */
export function parseClientMessage(text: string): ParsedClientMessage {
  if (text.length > MAX_CLIENT_MESSAGE_BYTES / 3 && Buffer.byteLength(text) > MAX_CLIENT_MESSAGE_BYTES) {
    return { ok: false, message: `Messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Converted to an INVALID_MESSAGE frame: the client gets the error, the connection lives on.
    return { ok: false, message: 'The message is not valid JSON' };
  }
  const parsed = clientMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { ok: false, message: `Invalid message: ${summary}`.slice(0, 500), issues, ref: refOf(json) };
}

function refOf(json: unknown): string | undefined {
  const value = typeof json === 'object' && json !== null ? (json as { ref?: unknown }).ref : undefined;
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

/**
 * The `event` frame of an outbox event, serialized once so every connection of the recipient shares
 * the string: `{"type":"event","seq":…,"incidentId":…,"event":{"type":…,…payload}}`.
 */
export function serializeEventFrame(event: Pick<OutboxEvent, 'incidentId' | 'type' | 'payload'> & { seq: number | null }): string {
  const head = `{"type":"event","seq":${event.seq},"incidentId":${event.incidentId === null ? 'null' : JSON.stringify(event.incidentId)},"event":{"type":${JSON.stringify(event.type)}`;
  const payload = event.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return payload === undefined || payload === null ? `${head}}}` : `${head},"value":${JSON.stringify(payload)}}}`;
  }
  const body = JSON.stringify(payload);
  // Splice the payload's members after `type` rather than copying the object to merge it.
  return body.length > 2 ? `${head},${body.slice(1)}}` : `${head}}}`;
}

/** Serializes a server frame other than `event` (those go through serializeEventFrame). */
export function serializeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}
