import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boxAround, cellsWithin } from '../../../api/domain/geo.ts';
import { cellOf, DB_H3_RES } from '../../../api/db/h3-column.ts';
import { preparedQuery } from '../../../api/db/prepared.ts';
import { dispatches, incidents, users, volunteerDuty } from '../../../api/db/schema/index.ts';
import { createVolunteerRepository } from '../../../api/db/volunteer-repository.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

const PATIENT = { lat: 42.0565, lng: -87.6753 };
/** A point about `northM` metres north of the patient. */
const north = (northM: number) => ({ lat: PATIENT.lat + northM / 111_195, lng: PATIENT.lng });

// The SOS path reads the volunteers it may alert in one statement: on duty, inside the search's
// cells and box, and not already on their way to an open incident.
describe.each(testDrivers)('the SOS reads on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => database.reset());

  async function volunteer(name: string, at: { lat: number; lng: number }, onDuty = true): Promise<string> {
    const [user] = await database.db
      .insert(users)
      .values({ email: `${name}@example.org`, passwordHash: 'x', role: 'volunteer', displayName: name, verification: 'verified' })
      .returning({ id: users.id });
    const position = { lat: at.lat, lng: at.lng, h3Cell: cellOf(at), positionAt: new Date() };
    await database.db.insert(volunteerDuty).values({ userId: user!.id, onDuty, ...position });
    return user!.id;
  }

  async function incident(state: 'open' | 'resolved'): Promise<string> {
    const [row] = await database.db
      .insert(incidents)
      .values({ clientRequestId: crypto.randomUUID(), publicTokenHash: 'h', state, lat: PATIENT.lat, lng: PATIENT.lng, h3Cell: cellOf(PATIENT) })
      .returning({ id: incidents.id });
    return row!.id;
  }

  const search = (radiusM: number) => createVolunteerRepository(database.db).listAvailableInCells(cellsWithin(PATIENT, radiusM, DB_H3_RES), boxAround(PATIENT, radiusM));
  const ids = (rows: { userId: string }[]) => rows.map((r) => r.userId).sort();

  it('leaves out who is off duty, outside the box, or on the way to an open incident', async () => {
    const near = await volunteer('near', north(50));
    const alerted = await volunteer('alerted', north(80));
    const accepted = await volunteer('accepted', north(100));
    const arrived = await volunteer('arrived', north(120));
    const doneElsewhere = await volunteer('done-elsewhere', north(140));
    await volunteer('off-duty', north(60), false);
    await volunteer('far', north(900));
    const open = await incident('open');
    const closed = await incident('resolved');
    await database.db.insert(dispatches).values([
      { incidentId: open, volunteerId: alerted, role: 'backup', status: 'alerted' },
      { incidentId: open, volunteerId: accepted, role: 'cpr', status: 'accepted' },
      { incidentId: open, volunteerId: arrived, role: 'cpr', status: 'arrived' },
      { incidentId: closed, volunteerId: doneElsewhere, role: 'cpr', status: 'accepted' },
    ]);

    // Alerted but not yet accepted counts as available: that alert may still be declined.
    expect(ids(await search(300))).toEqual([near, alerted, doneElsewhere].sort());
    // Once the incident closes its responders are free again.
    await database.db.update(incidents).set({ state: 'resolved' }).where(eq(incidents.id, open));
    expect(ids(await search(300))).toEqual([near, alerted, accepted, arrived, doneElsewhere].sort());
    // By id (positions this process holds), with the same rule.
    await database.db.update(incidents).set({ state: 'open' }).where(eq(incidents.id, open));
    expect(ids(await createVolunteerRepository(database.db).listAvailableByIds([near, accepted, alerted]))).toEqual([near, alerted].sort());
  });

  it('searches every longitude when the box has none (near a pole)', async () => {
    const polar = { lat: 89.9995, lng: 10 };
    const id = await volunteer('polar', { lat: 89.9996, lng: -170 });
    const rows = await createVolunteerRepository(database.db).listAvailableInCells(cellsWithin(polar, 200, DB_H3_RES), boxAround(polar, 200));
    expect(ids(rows)).toEqual([id]);
  });

  it('runs a prepared query inside a transaction on the transaction, and reuses it outside', async () => {
    const byEmail = preparedQuery<{ id: string }[], { email: string }>('test_users_by_email', (db, name) =>
      db.select({ id: users.id }).from(users).where(eq(users.email, sql.placeholder('email'))).prepare(name),
    );
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'in-tx@example.org', passwordHash: 'x', role: 'volunteer', displayName: 'Tx' });
        // Prepared on the shared handle it would not see the uncommitted row (or, on PGlite, wait for the transaction).
        expect(await byEmail(tx, { email: 'in-tx@example.org' })).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byEmail(database.db, { email: 'in-tx@example.org' })).toEqual([]);
    await volunteer('after', north(10));
    expect(await byEmail(database.db, { email: 'after@example.org' })).toHaveLength(1);
  });
});
