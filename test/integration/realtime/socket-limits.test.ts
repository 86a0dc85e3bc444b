import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHub } from '../../../api/realtime/hub.ts';
import { startRealtimeServer, TestClient, testHandlers, type RealtimeTestServer } from './realtime-server.ts';

const volunteer = { kind: 'volunteer', token: 'token-8d2c9a4e-3b1f-4c6d-a7e8-9f0a1b2c3d4e' };
const emptyStore = { backlog: async () => [], lastSeq: async () => 0 };

describe('the realtime endpoint’s heartbeats and limits', () => {
  let server: RealtimeTestServer | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
  });

  async function connect(options = {}) {
    const client = await TestClient.connect(server!.url, options);
    clients.push(client);
    return client;
  }

  it('terminates a socket that stops answering protocol pings, and keeps one that answers', async () => {
    const hub = createHub(emptyStore);
    server = await startRealtimeServer(hub, testHandlers().handlers, { heartbeatMs: 40 });
    const deaf = await connect({ autoPong: false });
    const alive = await connect();
    await deaf.hello(volunteer);
    await alive.hello(volunteer);
    expect((await deaf.closed).code).toBe(1006);
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    await vi.waitFor(() => expect(hub.connectionCount()).toBe(1));
  });

  it('pings each socket once per heartbeat, a slice of the sockets at a time', async () => {
    // 400 ms in 25 ms ticks: sixteen slots, the eight sockets dealt one to each of the first eight.
    server = await startRealtimeServer(createHub(emptyStore), testHandlers().handlers, { heartbeatMs: 400 });
    const pings: number[][] = [];
    for (let i = 0; i < 8; i++) {
      const client = await connect();
      const times: number[] = [];
      pings.push(times);
      client.ws.on('ping', () => times.push(Date.now()));
    }
    await vi.waitFor(() => expect(pings.every((t) => t.length >= 2)).toBe(true), { timeout: 5_000, interval: 50 });
    for (const times of pings) expect(times[1]! - times[0]!).toBeGreaterThan(300);
    const firstTicks = new Set(pings.map((t) => Math.round((t[0]! - pings[0]![0]!) / 25)));
    expect(firstTicks.size).toBeGreaterThanOrEqual(4);
  });

  it('refuses messages past the rate limit with one RATE_LIMITED frame, then recovers', async () => {
    let nowMs = 0;
    server = await startRealtimeServer(createHub(emptyStore), testHandlers().handlers, { rateLimit: { burst: 5, perSecond: 1 }, now: () => nowMs });
    const client = await connect();
    await client.hello(volunteer);
    for (let i = 0; i < 8; i++) client.send({ type: 'ping', ref: String(i) });
    const frames = [];
    // hello took the first of the 5 tokens.
    for (let i = 0; i < 4; i++) frames.push(await client.next());
    expect(frames.map((f) => f.ref)).toEqual(['0', '1', '2', '3']);
    expect(await client.next()).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    nowMs += 2_000;
    client.send({ type: 'ping', ref: 'later' });
    expect(await client.next()).toEqual({ type: 'pong', ref: 'later' });
  });

  it('refuses a message past 16 KiB with an error frame and closes none', async () => {
    server = await startRealtimeServer(createHub(emptyStore), testHandlers().handlers);
    const client = await connect();
    await client.hello(volunteer);
    client.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(20_000) }));
    expect(await client.next()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
    expect(await client.roundTrip()).toEqual([]);
  });

  it('closes every socket with 1001 when the endpoint closes', async () => {
    const hub = createHub(emptyStore);
    server = await startRealtimeServer(hub, testHandlers().handlers);
    const client = await connect();
    await client.hello(volunteer);
    const closing = server.close();
    server = undefined;
    expect((await client.closed).code).toBe(1001);
    await closing;
    expect(hub.connectionCount()).toBe(0);
    expect(client.frames.filter((f) => f.type === 'error')).toEqual([]);
  });
});
