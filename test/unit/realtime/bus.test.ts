import { describe, expect, it, vi } from 'vitest';
import type { PubSub } from '../../../api/db/client.ts';
import type { OutboxEvent } from '../../../api/db/outbox-repository.ts';
import type { Logger } from '../../../api/logger.ts';
import { createInProcessBus, createPgBus, notificationPayloads } from '../../../api/realtime/bus.ts';
import type { Hub } from '../../../api/realtime/hub.ts';

function ev(id: number): OutboxEvent {
  return { id, recipient: 'user:a', seq: id, incidentId: null, type: 'alert', payload: {}, createdAt: new Date(0) };
}

function fakeHub() {
  const delivered: number[] = [];
  const hub = { deliver: (events: readonly OutboxEvent[]) => delivered.push(...events.map((e) => e.id)) } as unknown as Hub;
  return { hub, delivered };
}

/** An outbox reader over some rows: by id, and after an id (the bus's catch-up). */
function reader(rows: OutboxEvent[], readByIds = async (ids: readonly number[]) => rows.filter((r) => ids.includes(r.id))) {
  return {
    readByIds,
    readAfterId: async (afterId: number, limit: number) => rows.filter((r) => r.id > afterId).slice(0, limit),
    maxId: async () => 0,
  };
}

/** One channel shared by every fake "process", like PostgreSQL's. */
function fakePubSub() {
  const listeners = new Set<(payload: string) => void>();
  const relisteners = new Set<() => void>();
  const sent: string[] = [];
  const pubsub: PubSub = {
    async listen(_channel, onMessage, onRelisten) {
      listeners.add(onMessage);
      if (onRelisten) relisteners.add(onRelisten);
      return { unlisten: async () => void listeners.delete(onMessage) };
    },
    async notify(_channel, payload) {
      sent.push(payload);
      for (const listener of listeners) listener(payload);
    },
  };
  return {
    pubsub,
    sent,
    emit: (payload: string) => listeners.forEach((l) => l(payload)),
    /** The connection dropped and came back: the driver re-listened. */
    relisten: () => relisteners.forEach((l) => l()),
    /** The driver lost the subscription without telling anyone. */
    deafen: () => listeners.clear(),
    listenerCount: () => listeners.size,
  };
}

const logger = () => ({ debug() {}, info() {}, warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() });

describe('notificationPayloads', () => {
  it('puts few ids in one payload', () => {
    expect(notificationPayloads('p1', [ev(1), ev(22)])).toEqual(['{"p":"p1","ids":[1,22]}']);
  });

  it('splits many ids into JSON payloads under 8000 bytes that keep every id once, in order', () => {
    const events = Array.from({ length: 3_000 }, (_, i) => ev(1_000_000_000_000 + i));
    const payloads = notificationPayloads('process-0123456789', events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    expect(payloads.flatMap((p) => JSON.parse(p).ids)).toEqual(events.map((e) => e.id));
  });
});

describe('createInProcessBus', () => {
  it('delivers to the hub at once', async () => {
    const { hub, delivered } = fakeHub();
    await createInProcessBus(hub).publish([ev(1)]);
    expect(delivered).toEqual([1]);
  });
});

describe('createPgBus', () => {
  it('delivers locally at once and, from another process’s notification, the rows it reads', async () => {
    const channel = fakePubSub();
    const a = fakeHub();
    const b = fakeHub();
    const rows = reader([1, 2, 3].map(ev));
    const busA = createPgBus(a.hub, channel.pubsub, rows, { processId: 'a', logger: logger() });
    const busB = createPgBus(b.hub, channel.pubsub, rows, { processId: 'b', logger: logger() });
    await busA.start();
    await busB.start();
    await busA.publish([ev(1), ev(2)]);
    await busA.publish([ev(3)]);
    await busB.stop();
    await busA.stop();
    expect(a.delivered).toEqual([1, 2, 3]);
    expect(b.delivered).toEqual([1, 2, 3]);
  });

  it('delivers in notification order even when an earlier read is slower', async () => {
    const channel = fakePubSub();
    const b = fakeHub();
    const slow = reader([], async (ids) => {
      await new Promise((resolve) => setTimeout(resolve, ids[0] === 1 ? 30 : 0));
      return ids.map(ev);
    });
    const bus = createPgBus(b.hub, channel.pubsub, slow, { processId: 'b', logger: logger() });
    await bus.start();
    channel.emit('{"p":"a","ids":[1]}');
    channel.emit('{"p":"a","ids":[2]}');
    await bus.stop();
    expect(b.delivered).toEqual([1, 2]);
  });

  it('warns about a malformed notification and retries a failed read', async () => {
    const channel = fakePubSub();
    const b = fakeHub();
    const log = logger();
    let failures = 1;
    const flaky = reader([], async (ids) => {
      if (failures-- > 0) throw new Error('connection reset');
      return ids.map(ev);
    });
    const bus = createPgBus(b.hub, channel.pubsub, flaky, { processId: 'b', logger: log });
    await bus.start();
    channel.emit('not json');
    channel.emit('{"p":"a","ids":["1; drop table"]}');
    channel.emit('{"p":"a","ids":[5]}');
    await bus.stop();
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(b.delivered).toEqual([5]);
  });

  it('logs instead of rejecting when the notification cannot be sent', async () => {
    const { hub, delivered } = fakeHub();
    const log = logger();
    const pubsub: PubSub = { listen: async () => ({ unlisten: async () => {} }), notify: async () => Promise.reject(new Error('down')) };
    await expect(createPgBus(hub, pubsub, reader([]), { logger: log }).publish([ev(1)])).resolves.toBeUndefined();
    expect(delivered).toEqual([1]);
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('catches up on what was committed while the connection was down, once it re-listens', async () => {
    const channel = fakePubSub();
    const b = fakeHub();
    const rows = [ev(1), ev(2)];
    const bus = createPgBus(b.hub, channel.pubsub, reader(rows), { processId: 'b', logger: logger() });
    await bus.start();
    channel.emit('{"p":"a","ids":[1]}');
    rows.push(ev(3), ev(4)); // committed by process A while B's LISTEN connection was down
    channel.relisten();
    await bus.stop();
    // 1 comes again in the catch-up (it starts below the high-water mark); the hub drops repeats.
    expect(new Set(b.delivered)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('renews a subscription that went deaf, found by probing itself, and catches up', async () => {
    const channel = fakePubSub();
    const b = fakeHub();
    const log = logger();
    const rows = [ev(1)];
    const bus = createPgBus(b.hub, channel.pubsub, reader(rows), { processId: 'b', logger: log, probeMs: 20 });
    await bus.start();
    channel.deafen();
    rows.push(ev(2));
    await vi.waitFor(() => expect(b.delivered).toContain(2), { timeout: 2_000 });
    expect(channel.listenerCount()).toBe(1);
    expect(log.warn).toHaveBeenCalledWith('realtime bus subscription went deaf; renewing it', expect.anything());
    await bus.stop();
  });
});
