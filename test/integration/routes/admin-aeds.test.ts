import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAedRepository, type AedRepository } from '../../../api/db/aed-repository.ts';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import { AED_IMPORT_MAX_BYTES } from '../../../api/routes/admin-aeds.ts';
import { createAuthService, type AuthService } from '../../../api/services/auth.ts';
import { systemClock } from '../../../api/services/clock.ts';
import type { PreparedApp } from '../../../api/server.ts';
import { createTestApp } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

const poland2022 = readFileSync(new URL('../../fixtures/aed_poland_osm_2022-01-05.geojson', import.meta.url), 'utf8');
const ADMIN = { email: 'admin@example.org', password: 'admin-Secret-1' };
const IMPORT = '/api/admin/aeds/import';
const EXPORT = '/api/admin/aeds/export.geojson';

describe.each(testDrivers)('admin AED import and export routes on %s', (driver) => {
  let database: TestDatabase;
  let auth: AuthService;
  let aeds: AedRepository;
  let prepared: PreparedApp;
  let app: PreparedApp['app'];
  let adminToken: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    auth = createAuthService({ users: createUserRepository(database.db), clock: systemClock, tokenTtlMs: 3_600_000 });
    aeds = createAedRepository(database.db);
    prepared = await createTestApp(database);
    app = prepared.app;
  });
  afterAll(async () => {
    await prepared.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    await auth.ensureAdmin(ADMIN.email, ADMIN.password);
    adminToken = await login(ADMIN.email, ADMIN.password);
  });

  async function login(email: string, password: string): Promise<string> {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(res.status).toBe(200);
    return (await res.json()).token;
  }

  const importJson = (body: string, token = adminToken, type = 'application/geo+json') =>
    app.request(IMPORT, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });

  it('answers 401 to an anonymous caller and 403 to a volunteer', async () => {
    expect((await app.request(IMPORT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: poland2022 })).status).toBe(401);
    expect((await app.request(EXPORT)).status).toBe(401);
    const register = await app.request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'vol@example.org', password: 'volunteer-1', displayName: 'Vol' }),
    });
    const volunteer = (await register.json()).token as string;
    const res = await importJson(poland2022, volunteer);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    expect((await app.request(EXPORT, { headers: { authorization: `Bearer ${volunteer}` } })).status).toBe(403);
    expect(await aeds.countAll()).toBe(0);
  });

  it('imports the 575 AEDs of the 2022 file sent as the JSON body, and updates none on a second import', async () => {
    const res = await importJson(poland2022);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 575, updated: 0, unchanged: 0, rejected: [], warnings: [] });
    const again = await importJson(poland2022, adminToken, 'application/json');
    expect(await again.json()).toMatchObject({ imported: 0, updated: 0, unchanged: 575 });
    expect(await aeds.countAll()).toBe(575);
  });

  it('imports the 2022 file sent as a multipart "file" field', async () => {
    const form = new FormData();
    form.append('file', new Blob([poland2022], { type: 'application/geo+json' }), 'aed_poland.geojson');
    const res = await app.request(IMPORT, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 575, rejected: [] });
  });

  it('reports rejected records by index and imports the rest', async () => {
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [16.93, 52.41] }, properties: { osm_id: 1, emergency: 'defibrillator' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] }, properties: { osm_id: 2 } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [16.93, 52.41] }, properties: { osm_id: 3, note: 'nul \u0000' } },
      ],
    });
    const res = await importJson(body);
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.imported).toBe(1);
    expect(result.rejected).toEqual([
      { index: 1, reason: expect.any(String) },
      { index: 2, reason: expect.any(String) },
    ]);
  });

  it.each([
    ['truncated JSON', '{"type":"FeatureCollection","features":[', 'INVALID_JSON'],
    ['a JSON array', '[]', 'INVALID_GEOJSON'],
    ['an empty body', '', 'INVALID_JSON'],
  ])('answers 400 to %s and writes nothing', async (_name, body, code) => {
    const res = await importJson(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(code);
    expect(await aeds.countAll()).toBe(0);
  });

  it('answers 400 to a multipart body without a file field', async () => {
    const form = new FormData();
    form.append('other', 'x');
    const res = await app.request(IMPORT, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: form });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 415 to a body that is not JSON or multipart', async () => {
    const res = await importJson(poland2022, adminToken, 'text/csv');
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 to a body over the limit and writes nothing', async () => {
    const res = await app.request(IMPORT, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'content-length': String(AED_IMPORT_MAX_BYTES + 1) },
      body: poland2022,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await aeds.countAll()).toBe(0);
  });

  it('exports a GeoJSON download with emergency=defibrillator on every feature, which re-imports unchanged', async () => {
    await importJson(poland2022);
    const res = await app.request(EXPORT, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    const text = await res.text();
    const collection = JSON.parse(text);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(575);
    for (const f of collection.features) {
      expect(f.properties.emergency).toBe('defibrillator');
      expect(f.properties['@id']).toMatch(/^node\/\d+$/);
    }
    expect(await (await importJson(text)).json()).toMatchObject({ imported: 0, updated: 0, unchanged: 575 });
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await (await app.request('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/admin/aeds/import', '/admin/aeds/export.geojson']));
    expect(Object.keys(doc.paths['/admin/aeds/import'].post.requestBody.content)).toEqual(
      expect.arrayContaining(['application/geo+json', 'multipart/form-data']),
    );
  });
});
