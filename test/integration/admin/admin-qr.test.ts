import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampusRepository, type CampusRepository } from '../../../api/db/campus-repository.ts';
import { DEMO_CAMPUS_DIR } from '../../../api/import/geo-data.ts';
import { QR_CODE_ALPHABET } from '../../../api/import/qr-spots.ts';
import { createAdminQrService } from '../../../api/services/admin-qr.ts';
import { renderQrSheetSvg } from '../../../api/services/qr-sheet.ts';
import { seedCampusIfEmpty } from '../../../api/services/seed.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

const CODE = new RegExp(`^[${QR_CODE_ALPHABET}]{8}$`);
const PUBLIC_URL = 'https://aed.example.edu';

describe.each(testDrivers)('admin QR spot routes on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let campuses: CampusRepository;
  let admin: string;
  let campusId: string;
  let building: { id: string; name: string; centroidLat: number; centroidLng: number };

  beforeAll(async () => {
    database = await openTestDb(driver);
    t = await buildAdminTestApp(database, undefined, { PUBLIC_URL });
    campuses = createCampusRepository(database.db);
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    await seedCampusIfEmpty({ campuses, aeds: t.aeds }, DEMO_CAMPUS_DIR);
    campusId = (await campuses.listCampuses())[0].id;
    building = (await campuses.listBuildings(campusId)).find((b) => b.name === 'Norris University Center')!;
    await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
    admin = await t.login();
  });

  const createSpot = (over: Record<string, unknown> = {}) =>
    t.call('POST', '/api/admin/qr-spots', admin, {
      campusId,
      buildingId: building.id,
      lat: building.centroidLat,
      lng: building.centroidLng,
      floor: '1',
      entrance: 'East door, by the lifts',
      entranceZh: '东门电梯旁',
      ...over,
    });

  it('creates a spot with a random 8-character code that opens the bystander page', async () => {
    const res = await createSpot();
    expect(res.status).toBe(201);
    const spot = await res.json();
    expect(spot.code).toMatch(CODE);
    expect(spot).toMatchObject({ buildingName: 'Norris University Center', floor: '1', active: true, path: `/e/${spot.code}`, source: 'admin' });
    const pub = await t.call('GET', `/api/qr/${spot.code}`);
    expect(pub.status).toBe(200);
    expect(await pub.json()).toMatchObject({ buildingName: 'Norris University Center', entrance: 'East door, by the lifts', entranceZh: '东门电梯旁' });
    const { spots } = await (await t.call('GET', `/api/admin/qr-spots?campusId=${campusId}`, admin)).json();
    expect(spots.map((s: { code: string }) => s.code)).toContain(spot.code);
  });

  it('prints a sheet with the QR code of PUBLIC_URL/e/<code>, 扫码急救, the place and 120', async () => {
    const spot = await (await createSpot()).json();
    const res = await t.call('GET', `/api/admin/qr-spots/${spot.id}/sheet.svg`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    for (const text of ['扫码急救', 'Scan in an emergency', '120', 'Norris University Center', '东门电梯旁', 'East door, by the lifts', `${PUBLIC_URL}/e/${spot.code}`]) {
      expect(svg).toContain(text);
    }
    // The symbol is the one for exactly that URL.
    const expected = renderQrSheetSvg({ ...spot }, `${PUBLIC_URL}/e/${spot.code}`);
    expect(svg).toBe(expected);
  });

  it('deactivates a spot: its code stops opening the page and its sheet is not printed; activating brings it back', async () => {
    const spot = await (await createSpot()).json();
    const off = await t.call('POST', `/api/admin/qr-spots/${spot.id}/deactivate`, admin);
    expect((await off.json()).active).toBe(false);
    expect((await t.call('GET', `/api/qr/${spot.code}`)).status).toBe(404);
    const sheet = await t.call('GET', `/api/admin/qr-spots/${spot.id}/sheet.svg`, admin);
    expect(sheet.status).toBe(409);
    expect((await sheet.json()).error.code).toBe('QR_SPOT_INACTIVE');
    await t.call('POST', `/api/admin/qr-spots/${spot.id}/activate`, admin);
    expect((await t.call('GET', `/api/qr/${spot.code}`)).status).toBe(200);
  });

  it("corrects a spot's text under the same code: the public page and a reprinted sheet say the new text", async () => {
    const spot = await (await createSpot()).json();
    const res = await t.call('PATCH', `/api/admin/qr-spots/${spot.id}`, admin, { entranceZh: '东门，电梯左侧', floor: '2', entrance: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: spot.id, code: spot.code, buildingName: 'Norris University Center', floor: '2', entrance: null, entranceZh: '东门，电梯左侧' });
    expect(await (await t.call('GET', `/api/qr/${spot.code}`)).json()).toMatchObject({ floor: '2', entrance: null, entranceZh: '东门，电梯左侧' });
    const svg = await (await t.call('GET', `/api/admin/qr-spots/${spot.id}/sheet.svg`, admin)).text();
    expect(svg).toContain('东门，电梯左侧');
    expect(svg).toContain('3 层 · Level 2 above ground');
    expect(svg).not.toContain('East door');
  });

  it('refuses a bad correction with 400 and changes nothing; 404 for an unknown spot; admins only', async () => {
    const spot = await (await createSpot()).json();
    const patch = (body: unknown, id = spot.id) => t.call('PATCH', `/api/admin/qr-spots/${id}`, admin, body);
    for (const body of [{}, { floor: 'second' }, { entranceZh: '   ' }, { entrance: 'x'.repeat(201) }, { code: 'abcd2345' }, { lat: 0 }, { buildingName: 5 }]) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.message).toBeTruthy();
    }
    expect((await patch({ floor: '3' }, '00000000-0000-4000-8000-000000000009')).status).toBe(404);
    expect((await t.call('PATCH', `/api/admin/qr-spots/${spot.id}`, undefined, { floor: '3' })).status).toBe(401);
    const volunteer = await t.registerVolunteer(`v${Math.random()}@example.org`);
    expect((await t.call('PATCH', `/api/admin/qr-spots/${spot.id}`, volunteer.token, { floor: '3' })).status).toBe(403);
    expect(await (await t.call('GET', `/api/qr/${spot.code}`)).json()).toMatchObject({ floor: '1', entrance: 'East door, by the lifts', entranceZh: '东门电梯旁' });
  });

  it('answers 422 OUT_OF_CAMPUS to a point outside the campus and 400 to a building of no campus', async () => {
    const far = await createSpot({ lat: 39.9, lng: 116.4 });
    expect(far.status).toBe(422);
    expect((await far.json()).error.code).toBe('OUT_OF_CAMPUS');
    const ghost = await createSpot({ buildingId: '00000000-0000-4000-8000-000000000009' });
    expect(ghost.status).toBe(400);
    expect((await t.call('POST', '/api/admin/qr-spots/00000000-0000-4000-8000-000000000009/deactivate', admin)).status).toBe(404);
  });

  it('draws another code when the drawn one is taken', async () => {
    const [taken] = await campuses.listQrSpots(campusId);
    const draws = [taken.code, taken.code, 'zzzz2345'];
    const service = createAdminQrService({ campuses, drawCode: () => draws.shift()! });
    const spot = await service.create({ campusId, lat: building.centroidLat, lng: building.centroidLng });
    expect(spot.code).toBe('zzzz2345');
    expect(draws).toEqual([]);
  });
});
