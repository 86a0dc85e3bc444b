import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { users } from '../../../api/db/schema/index.ts';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

describe.each(testDrivers)('migrations and the user repository on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(() => database.close());
  beforeEach(() => database.reset());

  it('creates every table of the domain', async () => {
    const rows = (await database.db.execute(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name` as never,
    )) as unknown as { rows?: { table_name: string }[] } & { table_name: string }[];
    const names = (rows.rows ?? rows).map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining(['aeds', 'buildings', 'campuses', 'dispatches', 'incident_events', 'incidents', 'outbox', 'qr_spots', 'sessions', 'users', 'volunteer_duty', 'walkways']),
    );
  });

  it('stores e-mails in lower case and refuses a second account with the same e-mail', async () => {
    const repo = createUserRepository(database.db);
    const first = await repo.insert({ email: 'Ana@Example.org', passwordHash: 'x', displayName: 'Ana' });
    const second = await repo.insert({ email: 'ana@example.org', passwordHash: 'y', displayName: 'Ana 2' });
    expect(first?.email).toBe('ana@example.org');
    expect(second).toBeUndefined();
    expect(await database.db.select().from(users).where(eq(users.email, 'ana@example.org'))).toHaveLength(1);
  });

  it('finds a session only until it expires or is revoked', async () => {
    const repo = createUserRepository(database.db);
    const user = await repo.insert({ email: 'b@example.org', passwordHash: 'x', displayName: 'B' });
    const t0 = new Date('2026-11-28T10:00:00Z');
    await repo.insertSession('hash-1', user!.id, new Date(t0.getTime() + 60_000));
    expect((await repo.findSessionUser('hash-1', t0))?.user.id).toBe(user!.id);
    expect(await repo.findSessionUser('hash-1', new Date(t0.getTime() + 61_000))).toBeUndefined();
    await repo.revokeSession('hash-1', t0);
    expect(await repo.findSessionUser('hash-1', t0)).toBeUndefined();
  });

  it('marks the drill accounts made before users.is_drill, and no one else (0002)', async () => {
    const repo = createUserRepository(database.db);
    const drill = await repo.insert({ email: 'drill-volunteer-3@drill.invalid', passwordHash: 'x', displayName: '演练志愿者 Drill volunteer 3' });
    const real = await repo.insert({ email: 'drill-volunteer@example.org', passwordHash: 'x', displayName: 'Real' });
    const fix = readFileSync(new URL('../../../api/db/migrations/0002_users_is_drill.sql', import.meta.url), 'utf8').split('--> statement-breakpoint')[1]!;
    await database.execute(fix);
    const flags = await database.db.select({ id: users.id, isDrill: users.isDrill }).from(users);
    expect(flags).toEqual(expect.arrayContaining([{ id: drill!.id, isDrill: true }, { id: real!.id, isDrill: false }]));
  });
});
