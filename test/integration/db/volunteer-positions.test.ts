import { count, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volunteerDuty } from '../../../api/db/schema/index.ts';
import { createVolunteerRepository } from '../../../api/db/volunteer-repository.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

// The position flush writes every volunteer who moved in the last interval in one statement: with
// one parameter per value it failed beyond ~9,400 positions (PostgreSQL's 65,535-parameter limit)
// and was retried forever.
describe.each(testDrivers)('savePositions on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDb(driver);
    await database.execute(`
      insert into users (id, email, password_hash, role, display_name, verification)
        select md5(i::text)::uuid, 'v' || i || '@example.org', 'x', 'volunteer', 'V' || i, 'verified' from generate_series(1, 12000) as i;
      insert into volunteer_duty (user_id, on_duty) select md5(i::text)::uuid, i <= 11999 from generate_series(1, 12000) as i;`);
  });
  afterAll(async () => database?.close());

  it('writes 12,000 positions in one batch, nulls included, and skips the volunteer off duty', async () => {
    const rows = await database.db.select({ user_id: volunteerDuty.userId }).from(volunteerDuty);
    const at = new Date('2026-11-30T15:00:00Z');
    await createVolunteerRepository(database.db).savePositions(
      rows.map((r, i) => ({ userId: r.user_id, lat: 42.05 + i * 1e-6, lng: -87.67, accuracyM: i % 2 ? null : 8, level: i % 3 ? null : 2, at })),
    );
    const [row] = await database.db.select({ n: count(), levels: count(volunteerDuty.level) }).from(volunteerDuty).where(isNotNull(volunteerDuty.lat));
    expect(row!.n).toBe(11_999);
    expect(row!.levels).toBeGreaterThan(3_900);
    expect(row!.levels).toBeLessThan(4_100);
  });
});
