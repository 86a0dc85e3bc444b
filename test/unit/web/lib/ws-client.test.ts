import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../../web/src/lib/backoff.ts';
import { memoryStore } from '../../../../web/src/lib/storage.ts';
import { RealtimeClient, realtimeUrl, type RealtimeEvent, type RealtimeStatus, type SocketLike } from '../../../../web/src/lib/ws-client.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed: { code?: number } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.closed = { code };
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** Timers run by hand: `advance(ms)` fires what is due. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn: () => void, ms: number) {
      const id = nextId++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id: unknown) {
      pending.delete(id as number);
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

function setup(storeSeq?: { recipient: string | null; seq: number }) {
  const sockets: FakeSocket[] = [];
  const events: RealtimeEvent[] = [];
  const statuses: RealtimeStatus[] = [];
  const store = memoryStore();
  if (storeSeq) store.set('seq', JSON.stringify(storeSeq));
  const timers = fakeTimers();
  const client = new RealtimeClient({
    url: 'ws://test/api/ws',
    auth: { kind: 'bystander', incidentId: '00000000-0000-4000-8000-000000000001', publicToken: 'token-token-token' },
    store,
    seqKey: 'seq',
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    ackTypes: ['alert'],
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers,
    random: () => 0.5,
  });
  return { client, sockets, events, statuses, store, timers };
}

const event = (seq: number, type = 'status') => ({ type: 'event', seq, incidentId: null, event: { type } });

describe('RealtimeClient', () => {
  it('says hello with the stored seq and goes live on welcome', () => {
    const { client, sockets, statuses } = setup({ recipient: 'incident:1', seq: 7 });
    client.start();
    sockets[0]!.open();
    expect(sockets[0]!.sent[0]).toMatchObject({ type: 'hello', auth: { kind: 'bystander' }, lastSeq: 7 });
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 9 });
    expect(statuses.at(-1)).toBe('live');
  });

  it('hands each seq over once and ignores duplicates and replays below the resume point', () => {
    const { client, sockets, events, store } = setup({ recipient: 'incident:1', seq: 3 });
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 5 });
    for (const seq of [2, 3, 4, 4, 5, 4]) sockets[0]!.receive(event(seq));
    expect(events.map((e) => e.seq)).toEqual([4, 5]);
    expect(JSON.parse(store.get('seq')!)).toEqual({ recipient: 'incident:1', seq: 5 });
  });

  it('accepts an event that arrives out of order above the resume point', () => {
    const { client, sockets, events } = setup();
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 0 });
    for (const seq of [1, 3, 2, 3]) sockets[0]!.receive(event(seq));
    expect(events.map((e) => e.seq)).toEqual([1, 3, 2]);
  });

  it('forgets the stored seq when the server is behind it (its data were reset)', () => {
    const { client, sockets, events, store } = setup({ recipient: 'incident:1', seq: 50 });
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 2 });
    expect(store.get('seq')).toBeNull();
    sockets[0]!.receive(event(1));
    expect(events.map((e) => e.seq)).toEqual([1]);
  });

  it('resumes from the highest seq seen after a dropped connection, with jittered backoff', () => {
    const { client, sockets, events, timers, statuses } = setup();
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 0 });
    sockets[0]!.receive(event(1));
    sockets[0]!.receive(event(2));
    sockets[0]!.drop(1006);
    expect(statuses.at(-1)).toBe('reconnecting');
    timers.advance(backoffDelayMs(0, { baseMs: 500, capMs: 5_000 }, 0.5) - 1);
    expect(sockets).toHaveLength(1);
    timers.advance(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent[0]).toMatchObject({ type: 'hello', lastSeq: 2 });
    sockets[1]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 3 });
    sockets[1]!.receive(event(2));
    sockets[1]!.receive(event(3));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('does not reconnect after 4401 or 4403: the user must sign in again', () => {
    for (const code of [4401, 4403]) {
      const { client, sockets, timers, statuses } = setup();
      client.start();
      sockets[0]!.open();
      sockets[0]!.drop(code);
      timers.advance(60_000);
      expect(sockets).toHaveLength(1);
      expect(statuses.at(-1)).toBe('unauthorized');
    }
  });

  it('keeps reconnecting after 1001, 1006 and 1011, never waiting more than 5 s', () => {
    const { client, sockets, timers } = setup();
    client.start();
    for (const code of [1001, 1006, 1011, 1006, 1006, 1006, 1006]) {
      const before = sockets.length;
      sockets.at(-1)!.drop(code);
      timers.advance(5_000);
      expect(sockets.length).toBe(before + 1);
    }
  });

  it('pings when quiet and drops a link that does not answer', () => {
    const { client, sockets, timers } = setup();
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'incident:1', lastSeq: 0 });
    timers.advance(20_000);
    expect(sockets[0]!.sent.at(-1)).toEqual({ type: 'ping' });
    timers.advance(10_000);
    expect(sockets[0]!.closed).not.toBeNull();
    timers.advance(5_000);
    expect(sockets).toHaveLength(2);
  });

  it('acknowledges the event types it was asked to', () => {
    const { client, sockets } = setup();
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'user:1', lastSeq: 0 });
    sockets[0]!.receive(event(1, 'alert'));
    sockets[0]!.receive(event(2, 'status'));
    expect(sockets[0]!.sent.filter((m) => m.type === 'ack')).toEqual([{ type: 'ack', seq: 1 }]);
  });

  it('hands over an unstored event (seq null) without remembering or acknowledging it', () => {
    const { client, sockets, events, store } = setup({ recipient: 'user:1', seq: 4 });
    client.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'user:1', lastSeq: 4 });
    sockets[0]!.receive({ type: 'event', seq: null, incidentId: null, event: { type: 'alert' } });
    sockets[0]!.receive(event(5, 'alert')); // the same alert, stored: the seq stream goes on without a gap
    expect(events.map((e) => e.seq)).toEqual([null, 5]);
    expect(sockets[0]!.sent.filter((m) => m.type === 'ack')).toEqual([{ type: 'ack', seq: 5 }]);
    expect(JSON.parse(store.get('seq')!)).toEqual({ recipient: 'user:1', seq: 5 });
  });

  it('sends nothing before it is live, and stops for good on stop()', () => {
    const { client, sockets, timers, statuses } = setup();
    client.start();
    expect(client.send({ type: 'position', lat: 1, lng: 2 })).toBe(false);
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', recipient: 'user:1', lastSeq: 0 });
    expect(client.send({ type: 'position', lat: 1, lng: 2 })).toBe(true);
    client.stop();
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('stopped');
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base, caps, and jitters between half and all of the delay', () => {
    const opts = { baseMs: 500, capMs: 5_000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, opts, 0.999999))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelayMs(3, opts, 0)).toBe(2000);
  });
});

describe('realtimeUrl', () => {
  it('follows the page protocol', () => {
    expect(realtimeUrl('/api/ws', { protocol: 'https:', host: 'aed.example.edu' })).toBe('wss://aed.example.edu/api/ws');
    expect(realtimeUrl('/api/ws', { protocol: 'http:', host: '127.0.0.1:8787' })).toBe('ws://127.0.0.1:8787/api/ws');
  });
});
