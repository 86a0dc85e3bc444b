import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../../api/db/client.ts';
import { dispatches } from '../../../api/db/schema/index.ts';
import { connectSocket, type TestSocket } from '../../support/ws-client.ts';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON body, or null when the body is not JSON. */
  body: any;
}

export interface HttpOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Bearer token for `Authorization`. */
  token?: string;
  /**
   * The loopback address the request comes from (127.0.0.0/8 all reaches this machine): the API keys
   * its rate limits by peer address, so each address is another client.
   */
  from?: string;
}

/** A real HTTP request to the test server, from a chosen loopback address. */
export function http(base: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const url = new URL(path, base);
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: options.from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A `ws` client on /api/ws that also records how the server closed it. */
export interface RecordingSocket extends TestSocket {
  /** The close code, once the socket closes. */
  closed: Promise<number>;
}

export async function openSocket(base: string): Promise<RecordingSocket> {
  const socket = await connectSocket(base);
  const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
  return { ...socket, closed };
}

/** Sends hello with a volunteer session token and waits for welcome or an error. */
export async function helloVolunteer(socket: TestSocket, token: string) {
  socket.send({ type: 'hello', auth: { kind: 'volunteer', token }, ref: 'hello' });
  return socket.waitFor((f) => f.type === 'welcome' || (f.type === 'error' && f.ref === 'hello'));
}

/** Sends hello as the bystander of an incident and waits for welcome or an error. */
export async function helloBystander(socket: TestSocket, incidentId: string, publicToken: string) {
  socket.send({ type: 'hello', auth: { kind: 'bystander', incidentId, publicToken }, ref: 'hello' });
  return socket.waitFor((f) => f.type === 'welcome' || (f.type === 'error' && f.ref === 'hello'));
}

/** True when `needle` occurs in `haystack`; a number only as a whole number (42.05 is not in 42.0512). */
function occurs(haystack: string, needle: string): boolean {
  if (!/^-?\d+(\.\d+)?$/.test(needle)) return haystack.includes(needle);
  return new RegExp(`(?<![\\d.])${needle.replace('.', '\\.')}(?!\\d)`).test(haystack);
}

/** Fails naming every one of `needles` found in `haystack`, and where. */
export function expectNoLeak(haystack: string, needles: Record<string, string>, where: string): void {
  const leaked = Object.entries(needles).filter(([, value]) => value !== '' && occurs(haystack, value));
  expect(leaked.map(([name]) => name), `${where} shows ${leaked.map(([n, v]) => `${n} (${v})`).join(', ')}`).toEqual([]);
}

/** What identifies a volunteer, for leak checks: account fields, and the exact position as it would print in JSON. */
export function identityOf(v: { id: string; email: string; displayName: string; phone: string }, position?: { lat: number; lng: number }): Record<string, string> {
  return {
    id: v.id,
    email: v.email,
    name: v.displayName,
    phone: v.phone,
    ...(position ? { lat: String(position.lat), lng: String(position.lng) } : {}),
  };
}

/** The stored dispatch status of a volunteer on an incident (undefined when never alerted). */
export async function dispatchStatus(database: Database, incidentId: string, volunteerId: string): Promise<string | undefined> {
  const [row] = await database.db
    .select({ status: dispatches.status })
    .from(dispatches)
    .where(and(eq(dispatches.incidentId, incidentId), eq(dispatches.volunteerId, volunteerId)));
  return row?.status;
}
