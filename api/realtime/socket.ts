import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import type { WSContext } from 'hono/ws';
import { WebSocketServer, type WebSocket } from 'ws';
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
  /** A socket whose unsent data passes this is too slow to keep; it is closed and will resume. Default 1 MiB. */
  maxBufferedBytes?: number;
  now?: () => number;
}

export interface RealtimeEndpoint {
  /** Mounts `GET /ws`; mount it under /api with `app.route('/api', endpoint.route)`. */
  route: Hono;
  /** Stops heartbeats and closes every socket with 1001 (going away). */
  close(): void;
}

/** The parts of ws's WebSocket the heartbeat uses; other adapters may not offer them. */
type RawSocket = Partial<Pick<WebSocket, 'ping' | 'terminate' | 'bufferedAmount' | 'readyState' | 'on'>>;

interface Live {
  connection: Connection;
  raw: RawSocket | undefined;
  missedPongs: number;
}

/** Going away (RFC 6455 §7.4.1): server shutdown, or a client too slow to keep up. */
const CLOSE_GOING_AWAY = 1001;
const WS_OPEN = 1;

/**
 * A WebSocketServer for `serve({ websocket: { server } })`: frames past 64 KiB are refused by ws
 * itself (close 1009) before they are buffered; messages.ts refuses anything past 16 KiB.
 */
export function createRealtimeWebSocketServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
}

/**
 * The realtime WebSocket endpoint: adapts node-server sockets to Connections (protocol) and the hub
 * (delivery), pings every socket on one shared timer, and closes what stops answering.
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
    now: deps.now ?? Date.now,
  };
  const sockets = new Set<Live>();

  function open(ws: WSContext<unknown>): Live {
    const raw = ws.raw as RawSocket | undefined;
    const transport = {
      send(data: string) {
        if (ws.readyState !== WS_OPEN) return;
        if (raw?.bufferedAmount !== undefined && raw.bufferedAmount > maxBufferedBytes) {
          ws.close(CLOSE_GOING_AWAY, 'Too slow');
          return;
        }
        ws.send(data);
      },
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    const live: Live = { connection: new Connection(transport, options), raw, missedPongs: 0 };
    raw?.on?.('pong', () => {
      live.missedPongs = 0;
    });
    sockets.add(live);
    return live;
  }

  function beat(): void {
    for (const live of sockets) {
      const { raw } = live;
      if (!raw?.ping || !raw.terminate || raw.readyState !== WS_OPEN) continue;
      if (live.missedPongs >= 2) {
        raw.terminate();
        continue;
      }
      live.missedPongs++;
      raw.ping();
    }
  }

  const timer = setInterval(beat, heartbeatMs);
  timer.unref();

  const route = new Hono().get(
    '/ws',
    upgradeWebSocket(() => {
      let live: Live | undefined;
      return {
        onOpen: (_event, ws) => {
          live = open(ws);
        },
        onMessage: (event, _ws) => {
          if (!live) return;
          // Any message is a sign of life too.
          live.missedPongs = 0;
          live.connection.receive(event.data);
        },
        onClose: () => {
          if (!live) return;
          sockets.delete(live);
          live.connection.onClosed();
        },
      };
    }),
  );

  return {
    route,
    close() {
      clearInterval(timer);
      for (const live of sockets) {
        live.connection.onClosed();
        live.connection.close(CLOSE_GOING_AWAY, 'Server shutting down');
      }
      sockets.clear();
    },
  };
}
