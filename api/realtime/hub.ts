import type { NewOutboxEvent, OutboxEvent } from '../db/outbox-repository.ts';
import { serializeEventFrame, serializeServerMessage } from './messages.ts';

/**
 * One client connection as the hub sees it; the ws adapter implements it.
 * `send` takes a serialized ServerMessage (so one event's JSON is shared by all of a recipient's
 * connections) and must not throw: a connection that can no longer send closes itself.
 */
export interface Conn {
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** Where the hub reads what a resuming connection missed: the outbox repository fits. */
export interface HubStore {
  /** Events after `afterSeq` (all when null) of open incidents or of none, in seq order, at most `limit`. */
  backlog(recipient: string, afterSeq: number | null, limit: number): Promise<OutboxEvent[]>;
  /** The recipient's highest seq, 0 when none. */
  lastSeq(recipient: string): Promise<number>;
}

export interface HubOptions {
  /** Backlog events asked for per query; a full page means there may be more. */
  backlogPageSize?: number;
}

/** Who is connected on this process, and the resume-then-live delivery of outbox events to them. */
export interface Hub {
  /**
   * Registers a connection and resumes it: sends `welcome`, then every backlog event after `lastSeq`,
   * then the live events that arrived meanwhile, in seq order without gaps or duplicates; after that
   * `deliver` sends to it directly. A `lastSeq` above the server's (a reset database) counts as none.
   * @throws what the store throws; the connection is then detached.
   */
  attach(recipient: string, conn: Conn, lastSeq?: number | null): Promise<void>;
  detach(recipient: string, conn: Conn): void;
  /** Sends each event to every live connection of its recipient here. Call only after the events committed. */
  deliver(events: readonly OutboxEvent[]): void;
  /**
   * Sends events that could not be stored (the database is unreachable) to the recipients'
   * connections here, as frames with `seq: null`; they are delivered again, sequenced, once stored.
   */
  deliverUnsaved(events: readonly NewOutboxEvent[]): void;
  /** True when the recipient has a connection on this process. */
  isConnected(recipient: string): boolean;
  connectionCount(): number;
  recipientCount(): number;
}

interface Slot {
  conn: Conn;
  /** Live events that arrived while the backlog was loading; null once live. */
  queue: OutboxEvent[] | null;
  /** Highest seq sent, and a bitmask of the 32 seqs up to it that were sent (bit i = maxSent - i). */
  maxSent: number;
  sentWindow: number;
  attached: boolean;
}

const WINDOW_BITS = 32;
const ALL_SENT = 0xffffffff;

/** Creates the connection hub; it knows nothing about ws. */
export function createHub(store: HubStore, options: HubOptions = {}): Hub {
  const pageSize = options.backlogPageSize ?? 500;
  const byRecipient = new Map<string, Map<Conn, Slot>>();
  let connections = 0;

  function remove(recipient: string, conn: Conn): void {
    const slots = byRecipient.get(recipient);
    const slot = slots?.get(conn);
    if (!slots || !slot) return;
    slot.attached = false;
    slots.delete(conn);
    connections--;
    if (slots.size === 0) byRecipient.delete(recipient);
  }

  async function resume(recipient: string, slot: Slot, lastSeq: number | null | undefined): Promise<void> {
    const serverLast = await store.lastSeq(recipient);
    if (!slot.attached) return;
    const after = lastSeq != null && lastSeq <= serverLast ? lastSeq : null;
    // The device has everything up to `after`: mark it (and the window below it) as sent.
    slot.maxSent = after ?? 0;
    slot.sentWindow = after === null ? 0 : ALL_SENT;
    slot.conn.send(serializeServerMessage({ type: 'welcome', recipient, lastSeq: serverLast }));
    let cursor = after;
    for (;;) {
      const page = await store.backlog(recipient, cursor, pageSize);
      if (!slot.attached) return;
      for (const event of page) offer(slot, event.seq, serializeEventFrame(event));
      if (page.length < pageSize) break;
      cursor = page[page.length - 1].seq;
    }
    const queued = slot.queue ?? [];
    slot.queue = null;
    queued.sort((a, b) => a.seq - b.seq);
    for (const event of queued) offer(slot, event.seq, serializeEventFrame(event));
  }

  return {
    async attach(recipient, conn, lastSeq) {
      let slots = byRecipient.get(recipient);
      if (!slots) byRecipient.set(recipient, (slots = new Map()));
      if (slots.has(conn)) throw new Error('This connection is already attached');
      const slot: Slot = { conn, queue: [], maxSent: 0, sentWindow: 0, attached: true };
      slots.set(conn, slot);
      connections++;
      try {
        await resume(recipient, slot, lastSeq);
      } catch (err) {
        remove(recipient, conn);
        throw err;
      }
    },

    detach: remove,

    deliver(events) {
      for (const event of events) {
        const slots = byRecipient.get(event.recipient);
        if (slots === undefined) continue;
        let frame: string | undefined;
        for (const slot of slots.values()) {
          if (slot.queue !== null) slot.queue.push(event);
          else offer(slot, event.seq, (frame ??= serializeEventFrame(event)));
        }
      }
    },

    deliverUnsaved(events) {
      for (const event of events) {
        const slots = byRecipient.get(event.recipient);
        if (slots === undefined) continue;
        const frame = serializeEventFrame({ ...event, seq: null });
        for (const slot of slots.values()) slot.conn.send(frame);
      }
    },

    isConnected: (recipient) => byRecipient.has(recipient),
    connectionCount: () => connections,
    recipientCount: () => byRecipient.size,
  };
}

/**
 * Sends a frame unless this connection already got its seq. A sliding window (as in IPsec replay
 * protection) keeps a late, out-of-order event from being mistaken for a duplicate, in O(1) memory.
 */
function offer(slot: Slot, seq: number, frame: string): void {
  if (seq > slot.maxSent) {
    const shift = seq - slot.maxSent;
    slot.sentWindow = shift >= WINDOW_BITS ? 1 : ((slot.sentWindow << shift) | 1) >>> 0;
    slot.maxSent = seq;
  } else {
    const age = slot.maxSent - seq;
    if (age >= WINDOW_BITS) return;
    const bit = (1 << age) >>> 0;
    if ((slot.sentWindow & bit) !== 0) return;
    slot.sentWindow = (slot.sentWindow | bit) >>> 0;
  }
  slot.conn.send(frame);
}
