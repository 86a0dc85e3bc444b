import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../../api/db/outbox-repository.ts';
import { createHub, type Conn, type HubStore } from '../../../api/realtime/hub.ts';

const incidentId = '6f1c1f9e-1a51-4c3e-9a0e-2b8f0b1d6c11';

function ev(recipient: string, seq: number): OutboxEvent {
  return { id: seq, recipient, seq, incidentId, type: 'alert', payload: { n: seq }, createdAt: new Date(0) };
}

class FakeConn implements Conn {
  frames: { type: string; seq?: number; lastSeq?: number }[] = [];
  send(data: string) {
    this.frames.push(JSON.parse(data));
  }
  close() {}
  seqs() {
    return this.frames.filter((f) => f.type === 'event').map((f) => f.seq);
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A store over an in-memory outbox; `gate` lets a test hold the backlog query to interleave live events. */
function fakeStore(rows: OutboxEvent[], gate?: Promise<void>): HubStore & { calls: (number | null)[] } {
  const calls: (number | null)[] = [];
  return {
    calls,
    async lastSeq(recipient) {
      return Math.max(0, ...rows.filter((r) => r.recipient === recipient).map((r) => r.seq));
    },
    async backlog(recipient, afterSeq, limit) {
      calls.push(afterSeq);
      const snapshot = rows.filter((r) => r.recipient === recipient && r.seq > (afterSeq ?? 0)).slice(0, limit);
      await gate;
      return snapshot;
    },
  };
}

describe('createHub', () => {
  it('sends welcome, then the backlog after lastSeq, then live events', async () => {
    const hub = createHub(fakeStore([1, 2, 3].map((s) => ev('user:a', s))));
    const conn = new FakeConn();
    await hub.attach('user:a', conn, 1);
    hub.deliver([ev('user:a', 4)]);
    expect(conn.frames[0]).toEqual({ type: 'welcome', recipient: 'user:a', lastSeq: 3 });
    expect(conn.seqs()).toEqual([2, 3, 4]);
  });

  it('queues live events during a resume and sends them after the backlog, without gap, duplicate or reordering', async () => {
    const gate = deferred<void>();
    const rows = [1, 2, 3, 4].map((s) => ev('user:a', s));
    const hub = createHub(fakeStore(rows, gate.promise));
    const conn = new FakeConn();
    const attached = hub.attach('user:a', conn, 2);
    // Seq 4 is in the backlog snapshot and also arrives live; 6 arrives before 5.
    await Promise.resolve();
    hub.deliver([ev('user:a', 4), ev('user:a', 6)]);
    hub.deliver([ev('user:a', 5)]);
    expect(conn.seqs()).toEqual([]);
    gate.resolve();
    await attached;
    hub.deliver([ev('user:a', 6), ev('user:a', 7)]);
    expect(conn.seqs()).toEqual([3, 4, 5, 6, 7]);
  });

  it('queues events that arrive before the last seq is even known', async () => {
    const hub = createHub(fakeStore([ev('user:a', 1)]));
    const conn = new FakeConn();
    const attached = hub.attach('user:a', conn, null);
    hub.deliver([ev('user:a', 2)]);
    await attached;
    expect(conn.seqs()).toEqual([1, 2]);
  });

  it('pages through a backlog longer than one page', async () => {
    const store = fakeStore([1, 2, 3, 4, 5].map((s) => ev('user:a', s)));
    const hub = createHub(store, { backlogPageSize: 2 });
    const conn = new FakeConn();
    await hub.attach('user:a', conn, null);
    expect(conn.seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(store.calls).toEqual([null, 2, 4]);
  });

  it('treats a lastSeq above the server (a reset database) as none', async () => {
    const hub = createHub(fakeStore([1, 2].map((s) => ev('user:a', s))));
    const conn = new FakeConn();
    await hub.attach('user:a', conn, 40);
    hub.deliver([ev('user:a', 3)]);
    expect(conn.frames[0]).toMatchObject({ type: 'welcome', lastSeq: 2 });
    expect(conn.seqs()).toEqual([1, 2, 3]);
  });

  it('delivers to every connection of a recipient and to no one else', async () => {
    const hub = createHub(fakeStore([]));
    const [phone, tablet, other] = [new FakeConn(), new FakeConn(), new FakeConn()];
    await hub.attach('user:a', phone);
    await hub.attach('user:a', tablet);
    await hub.attach('incident:b', other);
    hub.deliver([ev('user:a', 1), ev('incident:b', 1), ev('user:nobody', 1)]);
    expect(phone.seqs()).toEqual([1]);
    expect(tablet.seqs()).toEqual([1]);
    expect(other.seqs()).toEqual([1]);
    expect(hub.connectionCount()).toBe(3);
    expect(hub.recipientCount()).toBe(2);
    hub.detach('user:a', phone);
    hub.deliver([ev('user:a', 2)]);
    expect(phone.seqs()).toEqual([1]);
    expect(tablet.seqs()).toEqual([1, 2]);
    expect(hub.isConnected('user:a')).toBe(true);
    hub.detach('user:a', tablet);
    expect(hub.isConnected('user:a')).toBe(false);
    expect(hub.connectionCount()).toBe(1);
  });

  it('drops a duplicate seq but still sends a late, out-of-order one', async () => {
    const hub = createHub(fakeStore([]));
    const conn = new FakeConn();
    await hub.attach('user:a', conn);
    hub.deliver([ev('user:a', 1), ev('user:a', 3)]);
    hub.deliver([ev('user:a', 3), ev('user:a', 2), ev('user:a', 1), ev('user:a', 2)]);
    expect(conn.seqs()).toEqual([1, 3, 2]);
  });

  it('stops resuming a connection that detached meanwhile', async () => {
    const gate = deferred<void>();
    const hub = createHub(fakeStore([ev('user:a', 1)], gate.promise));
    const conn = new FakeConn();
    const attached = hub.attach('user:a', conn);
    await new Promise((r) => setTimeout(r, 0));
    hub.detach('user:a', conn);
    gate.resolve();
    await attached;
    expect(conn.seqs()).toEqual([]);
    expect(hub.connectionCount()).toBe(0);
  });

  it('detaches the connection and rethrows when the backlog cannot be read', async () => {
    const store = fakeStore([]);
    store.backlog = async () => {
      throw new Error('database down');
    };
    const hub = createHub(store);
    await expect(hub.attach('user:a', new FakeConn())).rejects.toThrow('database down');
    expect(hub.isConnected('user:a')).toBe(false);
    expect(hub.connectionCount()).toBe(0);
  });
});
