import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import { users } from '../../../api/db/schema/index.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';

// drizzle sends its queries unprepared unless built with .prepare(name); the driver then spends a
// round trip learning the parameters' types before every statement. The API's client prepares them
// all: each statement is parsed once per connection, in and out of transactions.
describe.skipIf(!process.env.TEST_DATABASE_URL)('statements through the API client on PostgreSQL', () => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDb('postgres');
    // One connection: pg_prepared_statements shows the session's own statements.
    database = await createDb({ kind: 'postgres', url: test.url!, maxConnections: 1 });
  });
  afterAll(async () => {
    await database?.close();
    await test?.close();
  });

  const prepared = async (fragment: string) => {
    const rows = (await database.db.execute(sql`select statement from pg_prepared_statements where statement like ${`%${fragment}%`}`)) as unknown as { statement: string }[];
    return rows.length;
  };

  it('prepares a parameterised query once and reuses it', async () => {
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
      expect(await database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).toEqual([]);
    }
    expect(await prepared('"users"."email" = $1')).toBe(1);
  });

  it('prepares the statements of a transaction, and the transaction still rolls back', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'tx@example.org', passwordHash: 'x', role: 'volunteer', displayName: 'Tx' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await prepared('insert into "users"')).toBe(1);
    expect(await database.db.select().from(users).where(eq(users.email, 'tx@example.org'))).toEqual([]);
  });
});

if (!process.env.TEST_DATABASE_URL) console.warn('[tests] prepared-statement suite SKIPPED: it needs PostgreSQL (TEST_DATABASE_URL).');
