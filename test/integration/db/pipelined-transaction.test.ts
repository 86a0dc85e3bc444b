import { createServer, connect, type Server } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import { users } from '../../../api/db/schema/index.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';

/**
 * A TCP relay in front of PostgreSQL that counts the client's sends: each is a flight of messages the
 * driver wrote at once, and a client that waits for an answer before it writes again sends once per
 * round trip.
 */
async function countingRelay(target: URL): Promise<{ url: string; sends(): number; close(): Promise<void> }> {
  let sends = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    client.on('data', (chunk) => {
      sends++;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    sends: () => sends,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const user = (email: string) => ({ email, passwordHash: 'x', role: 'volunteer' as const, displayName: email });

// The API's transactions on PostgreSQL send BEGIN with their first statements and COMMIT right behind
// their last ones (api/db/prepared-client.ts); these are the guarantees that must survive that.
describe.skipIf(!process.env.TEST_DATABASE_URL)('pipelined transactions on PostgreSQL', () => {
  let test: TestDatabase;
  let database: Database;
  let relay: Awaited<ReturnType<typeof countingRelay>>;
  beforeAll(async () => {
    test = await openTestDb('postgres');
    relay = await countingRelay(new URL(test.url!));
    // One connection: a transaction left open by a failure would show in the next test's reads.
    database = await createDb({ kind: 'postgres', url: relay.url, maxConnections: 1 });
  });
  afterAll(async () => {
    await database?.close();
    await relay?.close();
    await test?.close();
  });
  beforeEach(() => test.reset());

  const emails = async () => (await test.db.select({ email: users.email }).from(users).orderBy(users.email)).map((r) => r.email);

  it('sends a transaction of two batches in two flights: BEGIN with the first, COMMIT behind the last', async () => {
    // Warm up: the first use of each statement on a connection waits for its description.
    const batches = async (suffix: string) => {
      const { last } = await database.db.transaction(async (tx) => {
        await Promise.all([tx.insert(users).values(user(`a${suffix}@example.org`)), tx.insert(users).values(user(`b${suffix}@example.org`))]);
        const last = Promise.all([tx.insert(users).values(user(`c${suffix}@example.org`)), tx.insert(users).values(user(`d${suffix}@example.org`))]);
        last.catch(() => {});
        return { last };
      });
      await last;
    };
    await batches('0');
    const before = relay.sends();
    await batches('1');
    // postgres.js's own begin() took four: BEGIN, first batch, second batch, COMMIT.
    expect(relay.sends() - before).toBe(2);
    expect(await emails()).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'c1', 'd0', 'd1'].map((e) => `${e}@example.org`));
  });

  it('commits nothing when a statement still in flight at return fails, and rejects with its error', async () => {
    await test.db.insert(users).values(user('taken@example.org'));
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values(user('first@example.org'));
        const last = Promise.all([tx.insert(users).values(user('taken@example.org')), tx.insert(users).values(user('after@example.org'))]);
        last.catch(() => {});
        return { last };
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await emails()).toEqual(['taken@example.org']);
  });

  it('rolls back when the callback throws, and the connection is clean afterwards', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values(user('rolled@example.org'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await database.db.insert(users).values(user('later@example.org'));
    // Seen from another connection: the later insert was not left inside an open transaction.
    expect(await emails()).toEqual(['later@example.org']);
  });

  it('refuses a statement built inside the transaction but first awaited after it ended', async () => {
    let late: PromiseLike<unknown> | undefined;
    await database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('inside@example.org'));
      late = tx.insert(users).values(user('late@example.org'));
    });
    // drizzle builds the statement when it is first awaited; the driver refuses to send it.
    const refused = await Promise.resolve(late).then(() => undefined, (err: Error) => err);
    expect((refused?.cause as Error | undefined)?.message).toMatch(/sent after its transaction ended/);
    expect(await emails()).toEqual(['inside@example.org']);
  });

  it('rolls back a nested transaction alone', async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('outer@example.org'));
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(users).values(user('inner@example.org'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await tx.transaction(async (inner) => inner.insert(users).values(user('kept@example.org')));
    });
    expect(await emails()).toEqual(['kept@example.org', 'outer@example.org']);
  });

  it('reads its own writes inside, and others see them only after COMMIT', async () => {
    const seen = await database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('own@example.org'));
      const inside = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.email, 'own@example.org'));
      const outside = await emails();
      return { inside: inside[0]!.n, outside };
    });
    expect(seen).toEqual({ inside: 1, outside: [] });
    expect(await emails()).toEqual(['own@example.org']);
  });
});

if (!process.env.TEST_DATABASE_URL) console.warn('[tests] pipelined-transaction suite SKIPPED: it needs PostgreSQL (TEST_DATABASE_URL).');
