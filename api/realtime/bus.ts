import { randomUUID } from 'node:crypto';
import type { PubSub } from '../db/client.ts';
import type { OutboxEvent } from '../db/outbox-repository.ts';
import type { Logger } from '../logger.ts';
import type { Hub } from './hub.ts';

/** Carries committed outbox events to every API process's hub. */
export interface Bus {
  /**
   * Delivers the events to this process's connections at once and tells the other processes.
   * Call it after the transaction that appended them committed. It never rejects: a failed
   * notification is logged, and the events still reach other processes' clients when they resume.
   */
  publish(events: readonly OutboxEvent[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The bus of a single API process (PGlite, or one process on PostgreSQL). */
export function createInProcessBus(hub: Hub): Bus {
  return {
    async publish(events) {
      hub.deliver(events);
    },
    async start() {},
    async stop() {},
  };
}

/** The PostgreSQL channel the bus notifies on. */
export const OUTBOX_CHANNEL = 'aed_outbox';

/** NOTIFY payloads must stay under 8000 bytes; keep a margin. */
const MAX_NOTIFY_BYTES = 7_900;
const RETRY_DELAYS_MS = [50, 250, 1_000];

export interface PgBusOptions {
  /** Tells this process's own notifications apart; defaults to a random UUID. */
  processId?: string;
  logger: Logger;
  channel?: string;
}

/** What the PostgreSQL bus reads: the outbox repository fits. */
export interface OutboxReader {
  readByIds(ids: readonly number[]): Promise<OutboxEvent[]>;
}

/**
 * The bus between API processes sharing one PostgreSQL: `NOTIFY aed_outbox, '{"p":processId,"ids":[…]}'`
 * (ids, not rows, to stay under NOTIFY's 8000-byte limit); a process that hears another's
 * notification reads the rows by id and delivers them. Notifications are handled one after another,
 * so events reach the hub in the order the notifications came.
 */
export function createPgBus(hub: Hub, pubsub: PubSub, outbox: OutboxReader, options: PgBusOptions): Bus {
  const processId = options.processId ?? randomUUID();
  const channel = options.channel ?? OUTBOX_CHANNEL;
  const { logger } = options;
  // Printable ASCII keeps the payload's byte count equal to its length.
  if (!/^[\x20-\x7e]{1,200}$/.test(processId)) throw new Error('processId must be 1-200 printable ASCII characters');
  let subscription: { unlisten(): Promise<void> } | null = null;
  let tail: Promise<void> = Promise.resolve();

  async function readWithRetry(ids: number[]): Promise<OutboxEvent[] | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await outbox.readByIds(ids);
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          logger.error('realtime bus could not read outbox rows; clients get them when they resume', { ids: ids.length, error: String(err) });
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  function onNotification(payload: string): void {
    const ids = parseNotification(payload, processId);
    if (ids === 'own') return;
    if (ids === null) {
      logger.warn('realtime bus ignored a malformed notification', { channel, bytes: payload.length });
      return;
    }
    tail = tail.then(async () => {
      const events = await readWithRetry(ids);
      if (events) hub.deliver(events);
    });
  }

  return {
    async publish(events) {
      if (events.length === 0) return;
      hub.deliver(events);
      for (const payload of notificationPayloads(processId, events)) {
        try {
          await pubsub.notify(channel, payload);
        } catch (err) {
          logger.error('realtime bus could not notify other processes', { events: events.length, error: String(err) });
          return;
        }
      }
    },
    async start() {
      if (subscription) return;
      subscription = await pubsub.listen(channel, onNotification);
    },
    /** Stops listening, then lets the notifications already heard finish delivering. */
    async stop() {
      const current = subscription;
      subscription = null;
      if (current) await current.unlisten();
      await tail;
    },
  };
}

/**
 * Splits the events' ids into notification payloads of at most MAX_NOTIFY_BYTES each.
 * Exported for tests.
 */
export function notificationPayloads(processId: string, events: readonly { id: number }[]): string[] {
  const head = `{"p":${JSON.stringify(processId)},"ids":[`;
  const payloads: string[] = [];
  let body = '';
  for (const event of events) {
    const id = String(event.id);
    // head + body + "," + id + "]}" must fit; ids and the process id are ASCII, so chars = bytes.
    if (body.length > 0 && head.length + body.length + id.length + 3 > MAX_NOTIFY_BYTES) {
      payloads.push(`${head}${body}]}`);
      body = '';
    }
    body = body.length === 0 ? id : `${body},${id}`;
  }
  if (body.length > 0) payloads.push(`${head}${body}]}`);
  return payloads;
}

/** The ids of another process's notification, 'own' for this process's, null when malformed. */
function parseNotification(payload: string, processId: string): number[] | 'own' | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    // Reported by the caller as a malformed notification.
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { p, ids } = parsed as { p?: unknown; ids?: unknown };
  if (p === processId) return 'own';
  if (typeof p !== 'string' || !Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
  return ids as number[];
}
