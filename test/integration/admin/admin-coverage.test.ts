import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampusRepository } from '../../../api/db/campus-repository.ts';
import { DEMO_CAMPUS_DIR } from '../../../api/import/geo-data.ts';
import { systemClock, type Clock } from '../../../api/services/clock.ts';
import { seedCampusIfEmpty } from '../../../api/services/seed.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

/** Sunday 1 June 2025 on the demo campus; weekday 2 asks for Tuesday 3 June. */
const clock: Clock = { now: () => new Date('2025-06-01T15:00:00Z'), setTimeout: systemClock.setTimeout };
const COVERAGE = '/api/admin/coverage?campus=northwestern-evanston';

interface CellFeature {
  properties: { cell: string; timeS: number | null };
}

describe.each(testDrivers)('admin coverage route on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let admin: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    t = await buildAdminTestApp(database, clock);
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    await seedCampusIfEmpty({ campuses: createCampusRepository(database.db), aeds: t.aeds }, DEMO_CAMPUS_DIR);
    await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
    admin = await t.login();
  });

  const coverage = async (query: string) => {
    const res = await t.call('GET', `${COVERAGE}&${query}`, admin);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('colours the demo campus by AED time on Tuesday at 14:00: known cells inside and outside four minutes', async () => {
    const body = await coverage('weekday=2&hour=14');
    expect(body.at).toBe('2025-06-03T19:00:00.000Z');
    // NU-DEMO-08 and -11 are private, -10 is out of service.
    expect(body).toMatchObject({ totalCells: 144, coveredCells: 52, budgetS: 240, unusableAeds: 3 });
    expect(body.shareWithin240s).toBeCloseTo(52 / 144, 12);
    const time = new Map(body.cells.features.map((f: CellFeature) => [f.properties.cell, f.properties.timeS]));
    // The cell of NU-DEMO-09's outdoor cabinet, and NU SafeRide / the north-west corner far from any AED.
    expect(time.get(latLngToCell(42.051914, -87.67608, 10))).toBe(64);
    expect(time.get(latLngToCell(42.061487, -87.678633, 10))).toBeGreaterThan(240);
    expect(time.get('8a2664da34b7fff')).toBeNull();
  });

  it('covers less at 03:00 on Sunday, when most AEDs are locked away', async () => {
    const body = await coverage('weekday=7&hour=3');
    expect(body.aeds).toHaveLength(2);
    expect(body.coveredCells).toBe(34);
  });

  it('suggests a site where one more AED really adds covered cells', async () => {
    const before = await coverage('weekday=2&hour=14');
    const site = before.suggestion;
    expect(site.gainCells).toBeGreaterThan(0);
    // Sites and AEDs are named in both languages, for the page to show its reader's.
    expect(site).toMatchObject({ id: 'qr:4mnup4u8', label: 'NU SafeRide · Entrance (north-west side)', labelZh: 'NU SafeRide · 入口（西北侧）' });
    expect(before.aeds).toContainEqual(expect.objectContaining({ label: 'Next to the lifeguard desk at the pool entrance', labelZh: '泳池入口救生员值班台旁' }));
    const campusId = before.campus.id;
    const created = await t.call('POST', '/api/admin/aeds', admin, { campusId, lat: site.lat, lng: site.lng, indoor: false, level: '0', locationEn: `Outdoor cabinet: ${site.label}` });
    expect(created.status).toBe(201);
    const after = await coverage('weekday=2&hour=14');
    expect(after.coveredCells).toBe(before.coveredCells + site.gainCells);
    expect(after.shareWithin240s).toBeCloseTo(site.shareAfter, 9);
  });

  it('answers 404 for an unknown campus and 400 for an hour out of range', async () => {
    expect((await t.call('GET', '/api/admin/coverage?campus=nowhere', admin)).status).toBe(404);
    expect((await t.call('GET', `${COVERAGE}&hour=24`, admin)).status).toBe(400);
  });
});
