import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import WebSocket from 'ws';
import type { Database } from '../../../api/db/client.ts';
import { incidents } from '../../../api/db/schema/index.ts';
import { ConflictError, UnauthorizedError } from '../../../api/errors.ts';
import type { Logger } from '../../../api/logger.ts';
import type { Hub } from '../../../api/realtime/hub.ts';
import { createRealtimeEndpoint, type RealtimeEndpointDeps, type RealtimeHandlers } from '../../../api/realtime/socket.ts';

/** Inserts an incident row with only the required columns; returns its id. */
export async function insertIncident(database: Database, state: 'open' | 'resolved' | 'cancelled' = 'open'): Promise<string> {
  const [row] = await database.db
    .insert(incidents)
    .values({ clientRequestId: crypto.randomUUID(), publicTokenHash: 'h', lat: 39.99, lng: 116.31, h3Cell: '8a31aa5b2b67fff', state })
    .returning({ id: incidents.id });
  return row.id;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Handlers for tests: `token-<userId>` signs a volunteer in; `publicTokens` maps incident ids to tokens. */
export function testHandlers(publicTokens: Map<string, string> = new Map()) {
  const positions: { userId: string; lat: number; lng: number }[] = [];
  const handlers: RealtimeHandlers = {
    async authenticateVolunteer(token) {
      if (!token.startsWith('token-')) throw new UnauthorizedError('Your session has expired');
      return { userId: token.slice('token-'.length) };
    },
    async authenticateBystander(incidentId, publicToken) {
      return publicTokens.get(incidentId) === publicToken;
    },
    async onPosition(userId, position) {
      positions.push({ userId, lat: position.lat, lng: position.lng });
    },
    async onRespond(_userId, _incidentId, action) {
      if (action === 'decline') throw new ConflictError('INCIDENT_CLOSED', 'This incident is already closed');
      if (action === 'arrived') throw new Error('connection refused by 10.0.0.7:5432');
    },
  };
  return { handlers, positions };
}

export interface RealtimeTestServer {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on port 0 with only the realtime endpoint (/api/ws). */
export async function startRealtimeServer(hub: Hub, handlers: RealtimeHandlers, options: Partial<RealtimeEndpointDeps> = {}): Promise<RealtimeTestServer> {
  const endpoint = createRealtimeEndpoint({ hub, handlers, logger: silentLogger, authFailureCloseDelayMs: 20, ...options });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: new Hono().fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.on('upgrade', endpoint.upgrade);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/ws`,
    async close() {
      endpoint.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Frame = { type: string; [key: string]: unknown };

/** A ws client that collects frames; `next` waits for the next one. */
export class TestClient {
  readonly frames: Frame[] = [];
  private read = 0;
  private waiters: (() => void)[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new TestClient(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next unread frame; fails after `timeoutMs`. */
  async next(timeoutMs = 3_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.read >= this.frames.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames[this.read++];
  }

  /** Sends a ping and waits for the pong; the frames read on the way are returned, so nothing pending is missed. */
  async roundTrip(): Promise<Frame[]> {
    this.send({ type: 'ping', ref: 'sync' });
    const seen: Frame[] = [];
    for (;;) {
      const frame = await this.next();
      if (frame.type === 'pong' && frame.ref === 'sync') return seen;
      seen.push(frame);
    }
  }

  async hello(auth: unknown, lastSeq?: number | null): Promise<Frame> {
    this.send({ type: 'hello', auth, ...(lastSeq === undefined ? {} : { lastSeq }) });
    return this.next();
  }

  close(): void {
    this.ws.close();
  }
}
