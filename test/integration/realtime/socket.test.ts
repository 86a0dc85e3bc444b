import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxRepository, type OutboxRepository } from '../../../api/db/outbox-repository.ts';
import { createInProcessBus, type Bus } from '../../../api/realtime/bus.ts';
import { createHub, type Hub } from '../../../api/realtime/hub.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { insertIncident, startRealtimeServer, TestClient, testHandlers, type RealtimeTestServer } from './realtime-server.ts';

const userId = '0b7f3c2a-5d1e-4a8b-9c6f-1e2d3a4b5c6d';
const volunteer = { kind: 'volunteer', token: `token-${userId}` };

describe.each(testDrivers)('the realtime WebSocket endpoint on %s', (driver) => {
  let database: TestDatabase;
  let outbox: OutboxRepository;
  let hub: Hub;
  let bus: Bus;
  let server: RealtimeTestServer;
  let clients: TestClient[];
  const publicTokens = new Map<string, string>();
  const { handlers, positions } = testHandlers(publicTokens);

  async function connect(options = {}): Promise<TestClient> {
    const client = await TestClient.connect(server.url, options);
    clients.push(client);
    return client;
  }

  async function publish(recipient: string, incidentId: string | null, n: number) {
    const events = await outbox.append(database.db, [{ recipient, incidentId, type: 'alert', payload: { n } }]);
    await bus.publish(events);
    return events[0];
  }

  beforeAll(async () => {
    database = await openTestDb(driver);
    outbox = createOutboxRepository(database.db);
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await database.reset();
    hub = createHub(outbox);
    bus = createInProcessBus(hub);
    server = await startRealtimeServer(hub, handlers);
    clients = [];
  });
  afterEach(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  it('answers hello with welcome and the recipient’s last seq', async () => {
    const client = await connect();
    expect(await client.hello(volunteer)).toEqual({ type: 'welcome', recipient: `user:${userId}`, lastSeq: 0 });
    expect(hub.isConnected(`user:${userId}`)).toBe(true);
  });

  it('sends an event appended and published for the user to the connected client', async () => {
    const client = await connect();
    await client.hello(volunteer);
    const incidentId = await insertIncident(database);
    await publish(`user:${userId}`, incidentId, 1);
    expect(await client.next()).toEqual({ type: 'event', seq: 1, incidentId, event: { type: 'alert', n: 1 } });
  });

  it('answers invalid JSON with an error frame and keeps the connection open', async () => {
    const client = await connect();
    await client.hello(volunteer);
    client.send('{"type": "ping"');
    expect(await client.next()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
    client.send({ type: 'position', lat: 120, lng: 0, ref: 'p1' });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE', ref: 'p1', issues: [{ path: 'lat' }] });
    client.send({ type: 'ping', ref: 'after' });
    expect(await client.next()).toEqual({ type: 'pong', ref: 'after' });
  });

  it('resumes a reconnecting client with exactly the events it missed', async () => {
    const incidentId = await insertIncident(database);
    const first = await connect();
    await first.hello(volunteer);
    await publish(`user:${userId}`, incidentId, 1);
    await publish(`user:${userId}`, incidentId, 2);
    expect((await first.next()).seq).toBe(1);
    expect((await first.next()).seq).toBe(2);
    first.close();
    await first.closed;
    await publish(`user:${userId}`, incidentId, 3);
    await publish(`user:${userId}`, null, 4);

    const second = await connect();
    expect(await second.hello(volunteer, 2)).toMatchObject({ type: 'welcome', lastSeq: 4 });
    expect(await second.next()).toMatchObject({ seq: 3, event: { n: 3 } });
    expect(await second.next()).toMatchObject({ seq: 4, event: { n: 4 } });
    await publish(`user:${userId}`, incidentId, 5);
    expect(await second.next()).toMatchObject({ seq: 5 });
    expect(await second.roundTrip()).toEqual([]);
  });

  it('requires hello first, and closes with 4401 after UNAUTHORIZED', async () => {
    const client = await connect();
    client.send({ type: 'ping' });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'HELLO_REQUIRED' });
    client.send({ type: 'ack', seq: 1 });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'HELLO_REQUIRED' });
    expect(await client.hello({ kind: 'volunteer', token: 'stolen' })).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect((await client.closed).code).toBe(4401);
    expect(hub.connectionCount()).toBe(0);
  });

  it('lets a bystander follow only its incident, and forbids it to share a position', async () => {
    const incidentId = await insertIncident(database);
    publicTokens.set(incidentId, 'public-token');
    const wrong = await connect();
    expect(await wrong.hello({ kind: 'bystander', incidentId, publicToken: 'guess' })).toMatchObject({ code: 'UNAUTHORIZED' });
    const client = await connect();
    expect(await client.hello({ kind: 'bystander', incidentId, publicToken: 'public-token' })).toMatchObject({ recipient: `incident:${incidentId}` });
    await publish(`incident:${incidentId}`, incidentId, 7);
    await publish(`user:${userId}`, incidentId, 8);
    expect(await client.next()).toMatchObject({ type: 'event', event: { n: 7 } });
    client.send({ type: 'position', lat: 1, lng: 2, ref: 'pos' });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN', ref: 'pos' });
    expect(await client.roundTrip()).toEqual([]);
  });

  it('passes positions to the handler and turns handler errors into frames without leaking internals', async () => {
    const client = await connect();
    await client.hello(volunteer);
    client.send({ type: 'position', lat: 39.99, lng: 116.31 });
    const incidentId = crypto.randomUUID();
    client.send({ type: 'respond', incidentId, action: 'decline', ref: 'd' });
    expect(await client.next()).toEqual({ type: 'error', code: 'INCIDENT_CLOSED', message: 'This incident is already closed', ref: 'd' });
    client.send({ type: 'respond', incidentId, action: 'arrived', ref: 'a' });
    const internal = await client.next();
    expect(internal).toMatchObject({ type: 'error', code: 'INTERNAL', ref: 'a' });
    expect(JSON.stringify(internal)).not.toMatch(/10\.0\.0\.7/);
    expect(positions).toContainEqual({ userId, lat: 39.99, lng: 116.31 });
    expect(await client.roundTrip()).toEqual([]);
  });
});
