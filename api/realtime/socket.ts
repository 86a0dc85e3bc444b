import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../logger.ts';
import { Connection, type RealtimeHandlers } from './connection.ts';
import type { Hub } from './hub.ts';
import { MAX_CLIENT_MESSAGE_BYTES } from './messages.ts';

export type { RealtimeHandlers } from './connection.ts';

export interface RealtimeEndpointDeps {
  hub: Hub;
  handlers: RealtimeHandlers;
  logger: Logger;
  /** Interval between protocol pings; a socket that misses two pongs is terminated. Default 15000. */
  heartbeatMs?: number;
  /** Per-connection token bucket. Default: bursts of 50, 20 messages per second sustained. */
  rateLimit?: { burst: number; perSecond: number };
  /** Default 250. */
  authFailureCloseDelayMs?: number;
  /** How long a volunteer's session check is trusted for position messages (see Connection). */
  sessionRecheckMs?: number;
  /** How often the sessions of open volunteer sockets are looked at (handlers.lapsedSessions). Default 15000. */
  sessionSweepMs?: number;
  /** A socket whose unsent data passes this is too slow to keep; it is closed and will resume. Default 1 MiB. */
  maxBufferedBytes?: number;
  now?: () => number;
}

export interface RealtimeEndpoint {
  /**
   * The HTTP server's `'upgrade'` listener (`server.on('upgrade', endpoint.upgrade)`): serves
   * WebSocket upgrades of {@link REALTIME_PATH} and refuses any other upgrade with 404.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops heartbeats and closes every socket with 1001 (going away). */
  close(): void;
}

/** Where the realtime WebSocket is served. */
export const REALTIME_PATH = '/api/ws';

interface Live {
  connection: Connection;
  raw: WebSocket;
  missedPongs: number;
  /** The heartbeat slot that pings this socket. */
  slot: number;
}

/**
 * The heartbeat pings one slot of sockets at a time, this often: all 10,000 sockets at once held
 * the event loop (and every client's) for ~125 ms every interval, and an SOS landing then waited
 * (`npm run bench -- sos`, p99). Slots of 250 ms (167 of 10,000 sockets) still held it 7-11 ms,
 * and 3 of the 14 slowest of 300 SOS had such a tick inside them (CPU profile); a 25 ms tick pings
 * 17 at a time.
 */
const HEARTBEAT_TICK_MS = 25;

/** Going away (RFC 6455 §7.4.1): server shutdown, or a client too slow to keep up. */
const CLOSE_GOING_AWAY = 1001;
const WS_OPEN = 1;

/**
 * The realtime WebSocket endpoint: adapts ws sockets to Connections (protocol) and the hub
 * (delivery), pings every socket once per heartbeat (a slice of them per tick), and closes what
 * stops answering.
 *
 * Upgrades are taken from the HTTP server directly, not through Hono: @hono/node-server's
 * `upgradeWebSocket` keeps the upgrade request's Hono context (request, headers, the middleware's
 * response, closures) alive as long as the socket is open. Measured with `npm run bench -- sockets`
 * (goal: 50,000 idle volunteers within 1 GB): 17-18 KB of heap per idle volunteer through Hono,
 * 5.3-5.7 KB without.
 */
export function createRealtimeEndpoint(deps: RealtimeEndpointDeps): RealtimeEndpoint {
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const maxBufferedBytes = deps.maxBufferedBytes ?? 1024 * 1024;
  const options = {
    hub: deps.hub,
    handlers: deps.handlers,
    logger: deps.logger,
    rateLimit: deps.rateLimit ?? { burst: 50, perSecond: 20 },
    authFailureCloseDelayMs: deps.authFailureCloseDelayMs ?? 250,
    sessionRecheckMs: deps.sessionRecheckMs,
    now: deps.now ?? Date.now,
  };
  const sockets = new Set<Live>();
  // Sockets are dealt round-robin into slots; each tick pings one slot, so every socket is still
  // pinged once per heartbeatMs, but never all in one go.
  const slots: Set<Live>[] = Array.from({ length: Math.max(1, Math.round(heartbeatMs / HEARTBEAT_TICK_MS)) }, () => new Set());
  let dealt = 0;
  let tick = 0;
  // Frames past 64 KiB are refused by ws itself (close 1009) before they are buffered; messages.ts
  // refuses anything past 16 KiB. `sockets` tracks the clients, so ws need not.
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: 4 * MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });

  function open(ws: WebSocket): void {
    const transport = {
      send(data: string) {
        if (ws.readyState !== WS_OPEN) return;
        if (ws.bufferedAmount > maxBufferedBytes) {
          ws.close(CLOSE_GOING_AWAY, 'Too slow');
          return;
        }
        ws.send(data);
      },
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    const live: Live = { connection: new Connection(transport, options), raw: ws, missedPongs: 0, slot: dealt++ % slots.length };
    sockets.add(live);
    slots[live.slot]!.add(live);
    ws.on('pong', () => {
      live.missedPongs = 0;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Any message is a sign of life too. Binary frames reach the Connection as such, to be refused.
      live.missedPongs = 0;
      live.connection.receive(isBinary ? data : data.toString());
    });
    ws.on('close', () => {
      sockets.delete(live);
      slots[live.slot]!.delete(live);
      live.connection.onClosed();
    });
    // A protocol error (an oversized frame, bad UTF-8) closes the socket; 'close' follows.
    ws.on('error', () => {});
  }

  function beat(): void {
    const slot = slots[tick]!;
    tick = (tick + 1) % slots.length;
    for (const live of slot) {
      const { raw } = live;
      if (raw.readyState !== WS_OPEN) continue;
      if (live.missedPongs >= 2) {
        raw.terminate();
        continue;
      }
      live.missedPongs++;
      raw.ping();
    }
  }

  const timer = setInterval(beat, heartbeatMs / slots.length);
  timer.unref();

  /**
   * A volunteer's socket outlives a logout from elsewhere or the session's expiry, and alerts to
   * the user would go on reaching it until it next sent something. Every sessionSweepMs the sessions
   * that lapsed since the last look are fetched (none, nearly always: one small query a process,
   * whatever the number of sockets) and their sockets told UNAUTHORIZED and closed with 4401.
   */
  let sweeping = false;
  async function sweepSessions(): Promise<void> {
    const lapsedSessions = deps.handlers.lapsedSessions;
    if (sweeping || !lapsedSessions) return;
    sweeping = true;
    try {
      const lapsed = await lapsedSessions();
      if (lapsed.length === 0) return;
      const gone = new Set(lapsed);
      for (const live of sockets) {
        const session = live.connection.sessionHash;
        if (session !== undefined && gone.has(session)) live.connection.sessionLapsed();
      }
    } catch (err) {
      deps.logger.warn('looking for lapsed sessions failed; trying again at the next sweep', { error: String(err) });
    } finally {
      sweeping = false;
    }
  }
  const sweepTimer = setInterval(() => void sweepSessions(), deps.sessionSweepMs ?? 15_000);
  sweepTimer.unref();

  return {
    upgrade(req, socket, head) {
      if (req.url?.split('?', 1)[0] !== REALTIME_PATH) {
        socket.on('error', () => {}); // the client may be gone already; nothing to tell it then
        socket.once('finish', () => socket.destroy());
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // ws checks the handshake (GET, headers, version) and answers 400 to a bad one.
      wss.handleUpgrade(req, socket, head, open);
    },
    close() {
      clearInterval(timer);
      clearInterval(sweepTimer);
      for (const live of sockets) {
        live.connection.onClosed();
        live.connection.close(CLOSE_GOING_AWAY, 'Server shutting down');
      }
      sockets.clear();
      for (const slot of slots) slot.clear();
    },
  };
}
