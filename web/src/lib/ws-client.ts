import { backoffDelayMs, type BackoffOptions } from './backoff.ts';
import type { KeyValueStore } from './storage.ts';

/** How a realtime client proves who it is (api/realtime/messages.ts `hello.auth`). */
export type RealtimeAuth = { kind: 'volunteer'; token: string } | { kind: 'bystander'; incidentId: string; publicToken: string };

/** `connecting` before the first welcome, `live` after it, `reconnecting` while waiting to retry. */
export type RealtimeStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'stopped';

/** One `event` frame from the server. */
export interface RealtimeEvent {
  /** Null for an event the server sent before it could store it (its database was unreachable): it comes again with a seq. */
  seq: number | null;
  incidentId: string | null;
  event: { type: string; [key: string]: unknown };
}

/** The part of the browser WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RealtimeClientOptions {
  url: string;
  auth: RealtimeAuth;
  /** Where the highest seq seen is kept, under `seqKey`, so a reload resumes instead of replaying. */
  store: KeyValueStore;
  seqKey: string;
  onEvent(event: RealtimeEvent): void;
  onStatus?(status: RealtimeStatus): void;
  /** Event types to acknowledge (delivery receipts), e.g. `['alert']`. */
  ackTypes?: readonly string[];
  createSocket?: (url: string) => SocketLike;
  timers?: Timers;
  random?: () => number;
  /** App-level keepalive: mobile networks drop idle sockets silently. Default 20 s. */
  pingIntervalMs?: number;
  /** No frame this long after a ping means the socket is dead. Default 10 s. */
  pongTimeoutMs?: number;
  backoff?: BackoffOptions;
}

/** Close codes after which reconnecting cannot help: the user must sign in again. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);
const OPEN = 1;
/** Seqs remembered above the resume point, to drop duplicates that arrive out of order. */
const SEEN_WINDOW = 256;

/** The stored resume point: the recipient it belongs to and the highest seq seen. */
interface StoredSeq {
  recipient: string | null;
  seq: number;
}

/**
 * A WebSocket client that resumes: it says hello with the highest seq it saw, ignores duplicates,
 * keeps the link alive with pings, and reconnects with jittered backoff (capped at ~5 s) after any
 * close except 4401/4403. Delivery is at least once; `onEvent` sees each seq once.
 */
export class RealtimeClient {
  private socket: SocketLike | null = null;
  private status: RealtimeStatus = 'connecting';
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private stopped = true;
  private floor: number | null = null;
  private seen = new Set<number>();
  private recipient: string | null = null;
  private readonly timers: Timers;

  constructor(private readonly options: RealtimeClientOptions) {
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
    const stored = this.readStored();
    this.floor = stored?.seq ?? null;
    this.recipient = stored?.recipient ?? null;
  }

  /** Opens the connection (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes for good: no reconnect. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close(1000, 'bye');
    }
    this.setStatus('stopped');
  }

  /** Skips the wait and reconnects now (the browser came back online, the tab became visible). */
  reconnectNow(): void {
    if (this.stopped || this.status === 'unauthorized') return;
    if (this.status === 'live' && this.socket?.readyState === OPEN) {
      this.ping();
      return;
    }
    this.attempt = 0;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!this.socket) this.connect();
  }

  /** Sends a message when live. @returns false when it could not be sent now */
  send(message: { type: string; [key: string]: unknown }): boolean {
    if (this.status !== 'live' || !this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  get currentStatus(): RealtimeStatus {
    return this.status;
  }

  /** The highest seq handled, or null. */
  get lastSeq(): number | null {
    return this.readStored()?.seq ?? null;
  }

  private connect(): void {
    this.setStatus(this.attempt === 0 && this.status !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let socket: SocketLike;
    try {
      socket = (this.options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike))(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const lastSeq = this.readStored()?.seq ?? null;
      socket.send(JSON.stringify({ type: 'hello', auth: this.options.auth, lastSeq }));
      this.armPing();
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => {
      // A close event follows; reconnecting is decided there.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (AUTH_CLOSE_CODES.has(ev.code)) {
        this.stopped = true;
        this.setStatus('unauthorized');
        return;
      }
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    this.armPing();
    if (typeof data !== 'string') return;
    let frame: { type?: unknown; [key: string]: unknown };
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.type === 'welcome') return this.welcome(frame as unknown as { recipient: string; lastSeq: number });
    if (frame.type === 'event') return this.event(frame as unknown as RealtimeEvent);
    if (frame.type === 'ping') this.socket?.send(JSON.stringify({ type: 'pong' }));
  }

  private welcome(frame: { recipient: string; lastSeq: number }): void {
    const stored = this.readStored();
    // A different recipient, or a server behind us (its data were reset): the stored seq means nothing.
    if (stored && (stored.recipient !== null && stored.recipient !== frame.recipient || frame.lastSeq < stored.seq)) {
      this.options.store.remove(this.options.seqKey);
      this.floor = null;
    } else {
      this.floor = stored?.seq ?? null;
    }
    this.seen.clear();
    this.recipient = frame.recipient;
    this.attempt = 0;
    this.setStatus('live');
  }

  private event(frame: RealtimeEvent): void {
    if (!frame.event || typeof frame.event.type !== 'string') return;
    // Unstored (seq null): handle it now; it is neither remembered nor acknowledged, and its stored copy follows.
    if (frame.seq === null) return this.options.onEvent(frame);
    if (typeof frame.seq !== 'number') return;
    if ((this.floor !== null && frame.seq <= this.floor) || this.seen.has(frame.seq)) return;
    this.seen.add(frame.seq);
    const highest = Math.max(frame.seq, this.readStored()?.seq ?? 0);
    this.options.store.set(this.options.seqKey, JSON.stringify({ recipient: this.recipient, seq: highest } satisfies StoredSeq));
    if (this.seen.size > SEEN_WINDOW) {
      this.floor = Math.max(this.floor ?? 0, highest - SEEN_WINDOW);
      for (const s of this.seen) if (s <= this.floor) this.seen.delete(s);
    }
    this.options.onEvent(frame);
    if (this.options.ackTypes?.includes(frame.event.type)) this.send({ type: 'ack', seq: frame.seq });
  }

  private readStored(): StoredSeq | null {
    const raw = this.options.store.get(this.options.seqKey);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as Partial<StoredSeq>;
      return typeof v.seq === 'number' && Number.isInteger(v.seq) && v.seq >= 0 ? { recipient: typeof v.recipient === 'string' ? v.recipient : null, seq: v.seq } : null;
    } catch {
      return null;
    }
  }

  private scheduleReconnect(): void {
    this.setStatus('reconnecting');
    const delay = backoffDelayMs(this.attempt++, this.options.backoff ?? { baseMs: 500, capMs: 5_000 }, (this.options.random ?? Math.random)());
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && !this.socket) this.connect();
    }, delay);
  }

  /** Restarts the keepalive: a ping after a quiet interval, then a deadline for any answer. */
  private armPing(): void {
    this.timers.clearTimeout(this.pingTimer);
    this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.pingTimer = this.timers.setTimeout(() => this.ping(), this.options.pingIntervalMs ?? 20_000);
  }

  private ping(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    socket.send(JSON.stringify({ type: 'ping' }));
    this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = this.timers.setTimeout(() => {
      // No answer: the link is dead though the browser has not noticed. Drop it and reconnect.
      if (this.socket !== socket) return;
      this.socket = null;
      socket.onclose = null;
      socket.close(4000, 'keepalive timeout');
      this.clearTimers();
      if (!this.stopped) this.scheduleReconnect();
    }, this.options.pongTimeoutMs ?? 10_000);
  }

  private clearTimers(): void {
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.pingTimer);
    this.timers.clearTimeout(this.pongTimer);
    this.retryTimer = this.pingTimer = this.pongTimer = null;
  }

  private setStatus(status: RealtimeStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}

/** The realtime endpoint's URL on this page's origin: ws:// on http, wss:// on https. */
export function realtimeUrl(path: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}
