import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampusRepository } from '../../../api/db/campus-repository.ts';
import { DEMO_CAMPUS_DIR } from '../../../api/import/geo-data.ts';
import { systemClock, type Clock } from '../../../api/services/clock.ts';
import { seedCampusIfEmpty } from '../../../api/services/seed.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

const poland2025 = readFileSync(new URL('../../fixtures/aed_poland_osm_2025-07-25.geojson', import.meta.url), 'utf8');

/** 1 June 2025, 03:00 UTC: still 31 May on the demo campus's clock (America/Chicago). */
const NOW = new Date('2025-06-01T03:00:00Z');
const clock: Clock = { now: () => NOW, setTimeout: systemClock.setTimeout };

const LIBRARY = {
  lat: 42.05327,
  lng: -87.67406,
  indoor: true,
  level: '1',
  access: 'yes',
  openingHours: 'Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00',
  locationZh: '一楼服务台旁',
  locationEn: 'Ground-floor service desk, left of the main entrance',
  operator: 'Northwestern University',
  padExpiresOn: '2026-03-01',
  batteryExpiresOn: '2027-03-01',
};

describe.each(testDrivers)('admin AED registry routes on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let admin: string;
  let campusId: string;

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
    const campuses = createCampusRepository(database.db);
    await seedCampusIfEmpty({ campuses, aeds: t.aeds }, DEMO_CAMPUS_DIR);
    campusId = (await campuses.listCampuses())[0].id;
    await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
    admin = await t.login();
  });

  const create = async (over: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/api/admin/aeds', admin, { ...LIBRARY, campusId, ...over });
    return { res, body: await res.json() };
  };

  it('creates an AED whose OSM tags say what the form said', async () => {
    const { res, body } = await create({ ref: 'NU-LIB-1' });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ status: 'in_service', source: 'import', externalRef: 'NU-LIB-1', level: '1', indoor: true, campusId });
    expect(body.tags).toMatchObject({
      emergency: 'defibrillator',
      ref: 'NU-LIB-1',
      indoor: 'yes',
      level: '1',
      access: 'yes',
      opening_hours: LIBRARY.openingHours,
      'defibrillator:location:zh': LIBRARY.locationZh,
      'defibrillator:location:en': LIBRARY.locationEn,
      pad_expiry: '2026-03-01',
    });
    const list = await (await t.call('GET', `/api/admin/aeds?q=service%20desk&campusId=${campusId}`, admin)).json();
    expect(list.aeds.map((a: { id: string }) => a.id)).toEqual([body.id]);
    expect((await create({ ref: 'NU-LIB-1' })).res.status).toBe(409);
  });

  it.each([
    ['opening_hours that do not parse', { openingHours: 'Mo-Fr 8-18 maybe' }, 'openingHours'],
    ['a level that is not an OSM level', { level: 'ground' }, 'level'],
    ['no location text at all', { locationZh: '', locationEn: '' }, 'locationZh'],
    ['an access value OSM does not use', { access: 'sometimes' }, 'access'],
    ['a pad expiry that is not a date', { padExpiresOn: '2026-02-30' }, 'padExpiresOn'],
    ['the null island', { lat: 0, lng: 0 }, 'lat'],
  ])('answers 400 to %s and stores nothing', async (_name, over, path) => {
    const before = await t.aeds.countAll();
    const { res, body } = await create(over);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(await t.aeds.countAll()).toBe(before);
  });

  it('edits fields, rewrites the tags, and moves the H3 cell with the AED', async () => {
    const { body: aed } = await create();
    const res = await t.call('PATCH', `/api/admin/aeds/${aed.id}`, admin, { openingHours: '24/7', locationEn: '', lat: 42.0601, lng: -87.676, status: 'out_of_service' });
    expect(res.status).toBe(200);
    const edited = await res.json();
    expect(edited).toMatchObject({ openingHours: '24/7', locationEn: null, status: 'out_of_service', usableNow: false });
    expect(edited.tags.opening_hours).toBe('24/7');
    expect(edited.tags['defibrillator:location:en']).toBeUndefined();
    expect(edited.h3Cell).not.toBe(aed.h3Cell);
    expect((await t.call('PATCH', `/api/admin/aeds/${aed.id}`, admin, { lat: 42.05 })).status).toBe(400);
  });

  it('returns a used AED to service only through the return-to-service step with new pads', async () => {
    const { body: aed } = await create();
    await t.aeds.markInUse(aed.id);
    const blocked = await t.call('PATCH', `/api/admin/aeds/${aed.id}`, admin, { status: 'in_service' });
    expect(blocked.status).toBe(409);
    expect((await blocked.json()).error.code).toBe('AED_STATE');
    const stale = await t.call('POST', `/api/admin/aeds/${aed.id}/return-to-service`, admin, { padExpiresOn: '2025-05-01' });
    expect(stale.status).toBe(400);
    const res = await t.call('POST', `/api/admin/aeds/${aed.id}/return-to-service`, admin, { padExpiresOn: '2027-05-31' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'in_service', padExpiresOn: '2027-05-31', checkDate: '2025-05-31', claimedByIncidentId: null });
    const again = await t.call('POST', `/api/admin/aeds/${aed.id}/return-to-service`, admin, { padExpiresOn: '2027-05-31' });
    expect(again.status).toBe(409);
  });

  it('retires an AED, which then lists under retired and stays in the export', async () => {
    const { body: aed } = await create({ ref: 'NU-OLD' });
    expect((await (await t.call('POST', `/api/admin/aeds/${aed.id}/retire`, admin)).json()).status).toBe('retired');
    const retired = await (await t.call('GET', '/api/admin/aeds?status=retired', admin)).json();
    expect(retired.aeds.map((a: { id: string }) => a.id)).toEqual([aed.id]);
    const exported = await (await t.call('GET', '/api/admin/aeds/export.geojson', admin)).json();
    expect(exported.features.find((f: { id?: string }) => f.id === 'NU-OLD').properties.status).toBe('retired');
  });

  it("sets check_date to today's date on the campus clock when an admin confirms the AED on site", async () => {
    const { body: aed } = await create();
    const res = await t.call('POST', `/api/admin/aeds/${aed.id}/confirm-check`, admin);
    expect(await res.json()).toMatchObject({ checkDate: '2025-05-31' });
    expect((await t.aeds.findById(aed.id))!.tags.check_date).toBe('2025-05-31');
  });

  it('lists pads and batteries that expired or expire within 30 days, soonest first', async () => {
    const soon = (await create({ ref: 'SOON', padExpiresOn: '2025-06-20' })).body;
    const gone = (await create({ ref: 'GONE', batteryExpiresOn: '2025-05-01' })).body;
    await create({ ref: 'LATER', padExpiresOn: '2025-08-15' });
    const res = await t.call('GET', '/api/admin/aeds/expiring', admin);
    const { aeds } = await res.json();
    expect(aeds.map((a: { id: string }) => a.id)).toEqual([gone.id, soon.id]);
    expect(aeds[0]).toMatchObject({ usableNow: false, unusableReasons: expect.arrayContaining(['battery_expired']), batteryDaysLeft: -30 });
    expect(aeds[1]).toMatchObject({ padDaysLeft: 20 });
  });

  it('round-trips the export of AEDs created and edited in the console', async () => {
    await create({ ref: 'NU-A' });
    const { body: b } = await create({ ref: 'NU-B', indoor: false, level: '0' });
    await t.call('PATCH', `/api/admin/aeds/${b.id}`, admin, { locationZh: '操场东门外急救柜' });
    const exported = await (await t.call('GET', '/api/admin/aeds/export.geojson', admin)).text();
    const own = JSON.parse(exported);
    own.features = own.features.filter((f: { id?: string }) => f.id === 'NU-A' || f.id === 'NU-B');
    const res = await t.call('POST', '/api/admin/aeds/import', admin, own);
    expect(await res.json()).toMatchObject({ imported: 0, updated: 0, unchanged: 2, rejected: [] });
  });

  it('imports the real Poland file (11,466 AEDs) through the API, edits one, and the export re-imports unchanged', async () => {
    const form = new FormData();
    form.append('file', new Blob([poland2025], { type: 'application/geo+json' }), 'aed_poland.geojson');
    const res = await t.app.request('/api/admin/aeds/import', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.imported + result.rejected.length).toBe(11_466);
    const page = await (await t.call('GET', '/api/admin/aeds?limit=5', admin)).json();
    expect(page.total).toBe(result.imported + 12);
    const [first] = (await (await t.call('GET', '/api/admin/aeds?q=node%2F&limit=1', admin)).json()).aeds;
    expect((await t.call('PATCH', `/api/admin/aeds/${first.id}`, admin, { locationZh: '一楼大厅' })).status).toBe(200);
    const exported = JSON.parse(await (await t.call('GET', '/api/admin/aeds/export.geojson', admin)).text());
    exported.features = exported.features.filter((f: { properties: Record<string, string> }) => f.properties['@id']);
    const again = await (await t.call('POST', '/api/admin/aeds/import', admin, exported)).json();
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: result.imported });
  });
});
