/**
 * The SOS transaction's writes are fixed statements fed one JSON parameter (incident-repository.ts):
 * what they store must be exactly the rows the service holds, on both drivers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAedRepository } from '../../../api/db/aed-repository.ts';
import { createIncidentRepository, type DispatchRow, type IncidentRow } from '../../../api/db/incident-repository.ts';
import { aeds, users } from '../../../api/db/schema/index.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

const AT = new Date('2026-03-04T05:06:07.891Z');

function incidentRow(overrides: Partial<IncidentRow> = {}): IncidentRow {
  return {
    id: randomUUID(),
    campusId: null,
    qrSpotId: null,
    clientRequestId: `req-${randomUUID()}`,
    publicTokenHash: 'hmac',
    state: 'open',
    isDrill: false,
    lat: 31.0252,
    lng: 121.4337,
    level: -1,
    h3Cell: '8930e1d8a4bffff',
    locationText: '图书馆\u001f2F\u001f"North" door',
    gpsLat: null,
    gpsLng: 121.43371,
    gpsAccuracyM: 12.5,
    plan: { cpr: [{ volunteerId: 'v', etaS: 95.5 }], reason: null, nested: { quote: "it's \"fine\"", list: [1, 2.25, true] } },
    createdAt: AT,
    closedAt: null,
    ...overrides,
  };
}

function dispatchRow(incidentId: string, volunteerId: string, overrides: Partial<DispatchRow> = {}): DispatchRow {
  return {
    id: randomUUID(),
    incidentId,
    volunteerId,
    role: 'cpr',
    aedId: null,
    status: 'alerted',
    etaS: 95,
    wave: 1,
    alertedAt: AT,
    answeredAt: null,
    arrivedAt: null,
    lat: null,
    lng: null,
    positionAt: null,
    ...overrides,
  };
}

describe.each(testDrivers)('the SOS transaction’s writes on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(() => database.close());
  beforeEach(() => database.reset());

  async function volunteers(n: number): Promise<string[]> {
    const rows = await database.db
      .insert(users)
      .values(Array.from({ length: n }, (_, i) => ({ email: `v${i}-${randomUUID()}@example.org`, passwordHash: 'x', displayName: `V${i}` })))
      .returning({ id: users.id });
    return rows.map((r) => r.id);
  }

  it('stores an incident exactly as given, once per client request id', async () => {
    const repo = createIncidentRepository(database.db);
    const row = incidentRow();
    expect(await repo.insertIfNew(row)).toBe(row);
    expect(await repo.findById(row.id)).toEqual(row);
    // A retry under another id: nothing stored, undefined returned.
    const retry = incidentRow({ clientRequestId: row.clientRequestId });
    expect(await repo.insertIfNew(retry)).toBeUndefined();
    expect(await repo.findById(retry.id)).toBeUndefined();
  });

  it('stores planned dispatches as given and skips a volunteer already alerted', async () => {
    const repo = createIncidentRepository(database.db);
    const incident = incidentRow();
    await repo.insertIfNew(incident);
    const [a, b, c] = await volunteers(3);
    const aed = (await database.db.insert(aeds).values({ source: 'test', externalRef: 'x', lat: 31, lng: 121, h3Cell: '8930e1d8a4bffff' }).returning())[0]!;
    const first = [dispatchRow(incident.id, a!), dispatchRow(incident.id, b!, { role: 'aed', aedId: aed.id, etaS: 170 })];
    expect(await repo.insertPlannedDispatches(first)).toEqual(first);
    const again = [dispatchRow(incident.id, b!, { role: 'backup' }), dispatchRow(incident.id, c!, { role: 'backup', wave: 2 })];
    expect(await repo.insertPlannedDispatches(again)).toEqual([again[1]]);
    const stored = await repo.listDispatches(incident.id);
    expect(new Map(stored.map((d) => [d.id, d]))).toEqual(new Map([...first, again[1]!].map((d) => [d.id, d])));
  });

  it('appends log entries in order with their defaults', async () => {
    const repo = createIncidentRepository(database.db);
    const incident = incidentRow();
    await repo.insertIfNew(incident);
    const [a] = await volunteers(1);
    const entries = Array.from({ length: 12 }, (_, i) => ({ incidentId: incident.id, type: `step-${i}`, at: new Date(AT.getTime() + (i % 3)), ...(i % 2 ? { actorId: a!, data: { i, text: "O'Brien" } } : {}) }));
    await repo.appendEvents(entries);
    const stored = await repo.listEvents(incident.id);
    expect(stored.map((e) => [e.type, e.at, e.actorId, e.data])).toEqual(entries.map((e) => [e.type, e.at, e.actorId ?? null, e.data ?? {}]));
  });

  it('claims an AED for one incident at a time, inside the caller’s transaction', async () => {
    const repo = createIncidentRepository(database.db);
    const aedRepo = createAedRepository(database.db);
    const [one, two] = [incidentRow(), incidentRow()];
    await repo.insertIfNew(one);
    await repo.insertIfNew(two);
    const [aed, broken] = await database.db
      .insert(aeds)
      .values([
        { source: 'test', externalRef: 'a', lat: 31, lng: 121, h3Cell: '8930e1d8a4bffff' },
        { source: 'test', externalRef: 'b', lat: 31, lng: 121, h3Cell: '8930e1d8a4bffff', status: 'out_of_service' },
      ])
      .returning();
    await expect(database.db.transaction(async (tx) => {
      expect(await aedRepo.claim(aed!.id, one.id, tx)).toBe(true);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await aedRepo.claim(aed!.id, two.id)).toBe(true);
    expect(await aedRepo.claim(aed!.id, one.id)).toBe(false);
    expect(await aedRepo.claim(aed!.id, two.id)).toBe(true); // its own claim again
    expect(await aedRepo.claim(broken!.id, one.id)).toBe(false);
  });
});
