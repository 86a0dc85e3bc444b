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
  /**
   * How often the bus checks that its subscription still hears the channel (it notifies itself
   * when the channel was quiet); a deaf subscription is renewed and the missed events caught up.
   */
  probeMs?: number;
}

/** What the PostgreSQL bus reads: the outbox repository fits. */
export interface OutboxReader {
  readByIds(ids: readonly number[]): Promise<OutboxEvent[]>;
  /** Events with an id above `afterId`, by id, at most `limit`. */
  readAfterId(afterId: number, limit: number): Promise<OutboxEvent[]>;
  /** The highest event id, 0 when none. */
  maxId(): Promise<number>;
}

/** Outbox ids are drawn before commit, so a row may land below the highest id seen: catch-ups start this far back. */
const CATCH_UP_MARGIN_IDS = 500;
const CATCH_UP_PAGE = 1_000;

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
  const probeMs = options.probeMs ?? 3_000;
  let subscription: { unlisten(): Promise<void> } | null = null;
  let tail: Promise<void> = Promise.resolve();
  /** Highest outbox id delivered here: a catch-up reads from just below it. */
  let highWater = 0;
  /** Something (own or another's notification) was heard since the last probe. */
  let heard = false;
  let probeTimer: NodeJS.Timeout | null = null;
  let probeSeq = 0;
  let stopped = true;

  const deliver = (events: readonly OutboxEvent[]) => {
    for (const e of events) if (e.id > highWater) highWater = e.id;
    hub.deliver(events);
  };

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

  /**
   * Delivers what was committed while the subscription was deaf. The hub drops what a connection
   * already got, so reading a margin below the high-water mark is harmless.
   */
  function catchUp(reason: string): void {
    tail = tail.then(async () => {
      let after = Math.max(0, highWater - CATCH_UP_MARGIN_IDS);
      let total = 0;
      try {
        for (;;) {
          const page = await outbox.readAfterId(after, CATCH_UP_PAGE);
          deliver(page);
          total += page.length;
          if (page.length < CATCH_UP_PAGE) break;
          after = page[page.length - 1]!.id;
        }
        logger.info('realtime bus caught up', { reason, events: total });
      } catch (err) {
        logger.warn('realtime bus catch-up failed; retrying at the next probe', { reason, error: String(err) });
        heard = false;
      }
    });
  }

  async function subscribe(): Promise<void> {
    subscription = await pubsub.listen(channel, onNotification, () => catchUp('reconnected'));
  }

  /** Renews a subscription that stopped hearing its own probes (postgres.js gives up re-listening while the database is down). */
  async function probe(): Promise<void> {
    if (stopped) return;
    if (heard) {
      heard = false;
      return;
    }
    try {
      await pubsub.notify(channel, JSON.stringify({ p: processId, probe: ++probeSeq }));
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, probeMs / 2)));
      if (heard || stopped) return;
      logger.warn('realtime bus subscription went deaf; renewing it', { channel });
      const old = subscription;
      subscription = null;
      await old?.unlisten().catch(() => {});
      await subscribe();
      catchUp('renewed');
    } catch (err) {
      logger.warn('realtime bus probe failed; the database may be down', { error: String(err) });
    }
  }

  function onNotification(payload: string): void {
    heard = true;
    const ids = parseNotification(payload, processId);
    if (ids === 'own' || ids?.length === 0) return;
    if (ids === null) {
      logger.warn('realtime bus ignored a malformed notification', { channel, bytes: payload.length });
      return;
    }
    tail = tail.then(async () => {
      const events = await readWithRetry(ids);
      if (events) deliver(events);
    });
  }

  return {
    async publish(events) {
      if (events.length === 0) return;
      deliver(events);
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
      if (!stopped) return;
      stopped = false;
      highWater = await outbox.maxId();
      await subscribe();
      const loop = () => {
        probeTimer = setTimeout(() => void probe().finally(() => !stopped && loop()), probeMs);
        probeTimer.unref();
      };
      loop();
    },
    /** Stops listening, then lets the notifications already heard finish delivering. */
    async stop() {
      stopped = true;
      if (probeTimer) clearTimeout(probeTimer);
      const current = subscription;
      subscription = null;
      if (current) await current.unlisten().catch(() => {});
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
  const { p, ids, probe } = parsed as { p?: unknown; ids?: unknown; probe?: unknown };
  if (p === processId) return 'own';
  // Another process's probe of its own subscription: nothing to deliver.
  if (typeof p === 'string' && typeof probe === 'number' && ids === undefined) return [];
  if (typeof p !== 'string' || !Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
  return ids as number[];
}
