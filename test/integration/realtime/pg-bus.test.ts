import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import { createOutboxRepository, type OutboxRepository } from '../../../api/db/outbox-repository.ts';
import { createPgBus, type Bus } from '../../../api/realtime/bus.ts';
import { createHub } from '../../../api/realtime/hub.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { silentLogger, startRealtimeServer, TestClient, testHandlers, type RealtimeTestServer } from './realtime-server.ts';

const userId = '3c9e1d7a-2b4f-4e8a-b6c1-7d0e9f8a2b3c';
const volunteer = { kind: 'volunteer', token: `token-${userId}` };

/** Two API "processes" in one test: each its own Database connection pool, hub, PgBus and server. */
describe.runIf(testDrivers.includes('postgres'))('the PostgreSQL bus between two API processes', () => {
  let databaseA: TestDatabase;
  let databaseB: Database;
  let outboxA: OutboxRepository;
  let busA: Bus;
  let busB: Bus;
  let serverA: RealtimeTestServer;
  let serverB: RealtimeTestServer;

  beforeAll(async () => {
    databaseA = await openTestDb('postgres');
    databaseB = await createDb({ kind: 'postgres', url: databaseA.url!, maxConnections: 5 });
    outboxA = createOutboxRepository(databaseA.db);
    const outboxB = createOutboxRepository(databaseB.db);
    const hubA = createHub(outboxA);
    const hubB = createHub(outboxB);
    busA = createPgBus(hubA, databaseA.pubsub, outboxA, { processId: 'process-a', logger: silentLogger });
    busB = createPgBus(hubB, databaseB.pubsub, outboxB, { processId: 'process-b', logger: silentLogger });
    await busA.start();
    await busB.start();
    serverA = await startRealtimeServer(hubA, testHandlers().handlers);
    serverB = await startRealtimeServer(hubB, testHandlers().handlers);
  });
  afterAll(async () => {
    await serverA?.close();
    await serverB?.close();
    await busA?.stop();
    await busB?.stop();
    await databaseB?.close();
    await databaseA?.close();
  });

  it('delivers an event published on A to a client connected to B, and once to a client on A', async () => {
    const onA = await TestClient.connect(serverA.url);
    const onB = await TestClient.connect(serverB.url);
    try {
      await onA.hello(volunteer);
      await onB.hello(volunteer);
      const events = await outboxA.append(databaseA.db, [{ recipient: `user:${userId}`, incidentId: null, type: 'alert', payload: { n: 1 } }]);
      await busA.publish(events);
      expect(await onB.next()).toEqual({ type: 'event', seq: events[0].seq, incidentId: null, event: { type: 'alert', n: 1 } });
      expect(await onA.next()).toMatchObject({ type: 'event', seq: events[0].seq });
      // A hears its own notification too; its client must not get the event twice.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await onA.roundTrip()).toEqual([]);
    } finally {
      onA.close();
      onB.close();
    }
  });

  it('splits a large batch into notifications under 8000 bytes and delivers all of it in order', async () => {
    const onB = await TestClient.connect(serverB.url);
    try {
      const before = await outboxA.lastSeq(`user:${userId}`);
      await onB.hello(volunteer, before);
      const items = Array.from({ length: 2_500 }, (_, n) => ({ recipient: `user:${userId}`, incidentId: null, type: 'alert', payload: { n } }));
      const events = await outboxA.append(databaseA.db, items);
      await busA.publish(events);
      const seqs: unknown[] = [];
      for (let i = 0; i < items.length; i++) seqs.push((await onB.next()).seq);
      expect(seqs).toEqual(Array.from({ length: items.length }, (_, i) => before + 1 + i));
    } finally {
      onB.close();
    }
  });
});
