import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../../api/db/client.ts';
import { createOutboxRepository, type NewOutboxEvent, type OutboxEvent } from '../../../api/db/outbox-repository.ts';
import { incidents, outbox } from '../../../api/db/schema/index.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { insertIncident } from './realtime-server.ts';

function item(recipient: string, incidentId: string | null = null, n = 0): NewOutboxEvent {
  return { recipient, incidentId, type: 'alert', payload: { n } };
}

describe.each(testDrivers)('the outbox repository on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(() => database.close());
  beforeEach(() => database.reset());

  it('numbers each recipient from 1 in input order and returns the stored events', async () => {
    const repo = createOutboxRepository(database.db);
    const stored = await repo.append(database.db, [item('user:a', null, 1), item('user:b', null, 2), item('user:a', null, 3)]);
    expect(stored.map((e) => [e.recipient, e.seq, e.payload])).toEqual([
      ['user:a', 1, { n: 1 }],
      ['user:b', 1, { n: 2 }],
      ['user:a', 2, { n: 3 }],
    ]);
    expect(stored[0]).toMatchObject({ id: expect.any(Number), incidentId: null, type: 'alert', createdAt: expect.any(Date) });
    // What append returns is what another process reads back by id.
    const shape = (e: OutboxEvent) => [e.id, e.recipient, e.seq, e.type, e.payload, e.createdAt.getTime()];
    expect((await repo.readByIds(stored.map((e) => e.id))).map(shape)).toEqual(stored.map(shape));
    expect((await repo.append(database.db, [item('user:a')]))[0].seq).toBe(3);
    expect(await repo.lastSeq('user:a')).toBe(3);
    expect(await repo.lastSeq('user:nobody')).toBe(0);
  });

  it('appends inside the caller’s transaction and rolls back with it', async () => {
    const repo = createOutboxRepository(database.db);
    await expect(
      database.db.transaction(async (tx) => {
        const incidentId = (await tx.insert(incidents).values({ clientRequestId: 'c1', publicTokenHash: 'h', lat: 1, lng: 2, h3Cell: 'x' }).returning())[0].id;
        await repo.append(tx, [item('user:a', incidentId)]);
        throw new Error('dispatch failed');
      }),
    ).rejects.toThrow('dispatch failed');
    expect(await database.db.select().from(outbox)).toEqual([]);
    await database.db.transaction((tx) => repo.append(tx, [item('user:a')]));
    expect(await repo.lastSeq('user:a')).toBe(1);
  });

  it('assigns unique, gap-free seqs to many concurrent appends for one recipient', async () => {
    const repo = createOutboxRepository(database.db);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => repo.append(database.db, [item('user:hot', null, i), item(`user:${i % 3}`), item('user:hot', null, i)])),
    );
    const seqs = (await database.db.select({ seq: outbox.seq }).from(outbox).where(eq(outbox.recipient, 'user:hot'))).map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it.runIf(driver === 'postgres')('stays gap-free when two database connections append at once', async () => {
    const second = await createDb({ kind: 'postgres', url: database.url!, maxConnections: 5 });
    try {
      const repos = [createOutboxRepository(database.db), createOutboxRepository(second.db)];
      const executors = [database.db, second.db];
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          // Recipients in both orders across transactions: the sorted lock order must prevent deadlocks.
          repos[i % 2].append(executors[i % 2], i % 4 < 2 ? [item('user:x'), item('user:y')] : [item('user:y'), item('user:x')]),
        ),
      );
      for (const recipient of ['user:x', 'user:y']) {
        const seqs = (await database.db.select({ seq: outbox.seq }).from(outbox).where(eq(outbox.recipient, recipient))).map((r) => r.seq).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      }
    } finally {
      await second.close();
    }
  });

  it('gives a backlog of open incidents’ events and incident-less ones, after a seq, in order', async () => {
    const repo = createOutboxRepository(database.db);
    const open = await insertIncident(database, 'open');
    const resolved = await insertIncident(database, 'resolved');
    await repo.append(database.db, [item('user:a', open, 1), item('user:a', resolved, 2), item('user:a', null, 3), item('user:a', open, 4), item('user:b', open, 5)]);
    expect((await repo.backlog('user:a', null)).map((e) => e.seq)).toEqual([1, 3, 4]);
    expect((await repo.backlog('user:a', 1)).map((e) => e.seq)).toEqual([3, 4]);
    expect((await repo.backlog('user:a', 1, 1)).map((e) => e.seq)).toEqual([3]);
    expect(await repo.backlog('user:a', 4)).toEqual([]);
  });

  it('reads events back by id, skipping unknown ids', async () => {
    const repo = createOutboxRepository(database.db);
    const stored = await repo.append(database.db, [item('user:a'), item('user:b')]);
    const read = await repo.readByIds([stored[1].id, stored[0].id, 999_999]);
    expect(read).toEqual(stored);
    expect(await repo.readByIds([])).toEqual([]);
  });

  it('refuses a payload with its own type key', async () => {
    const repo = createOutboxRepository(database.db);
    await expect(repo.append(database.db, [{ recipient: 'user:a', incidentId: null, type: 'alert', payload: { type: 'x' } }])).rejects.toThrow(/type/);
  });
});
