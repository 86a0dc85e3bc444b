import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAedRepository } from '../../../api/db/aed-repository.ts';
import { adminRoutes } from '../../../api/routes/admin.ts';
import { createAuthService } from '../../../api/services/auth.ts';
import { systemClock } from '../../../api/services/clock.ts';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

interface Operation {
  method: string;
  /** OpenAPI path under /api, e.g. /admin/volunteers/{id}/verify */
  path: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SOME_ID = '00000000-0000-4000-8000-000000000001';

/** Operations of an OpenAPI document under /admin. */
function adminOperations(doc: { paths?: object }): Operation[] {
  return Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)
    .filter(([p]) => p.startsWith('/admin'))
    .flatMap(([p, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => ({ method: method.toUpperCase(), path: p })));
}

const key = (o: Operation) => `${o.method} ${o.path}`;

describe.each(testDrivers)('authorization of every admin route on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let operations: Operation[];
  const tokens: Record<'verified' | 'pending' | 'admin', string> = { verified: '', pending: '', admin: '' };

  beforeAll(async () => {
    database = await openTestDb(driver);
    t = await buildAdminTestApp(database);
    // The app's own document (admin routes included once the app mounts them), and the admin
    // routers' document, so a route can be neither forgotten here nor left out of the docs.
    const appDoc = await (await t.app.request('/api/openapi.json')).json();
    const auth = createAuthService({ users: createUserRepository(database.db), clock: systemClock, tokenTtlMs: 60_000 });
    const adminDoc = adminRoutes({ auth, database, aeds: createAedRepository(database.db), config: {} }).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '0' } });
    const byKey = new Map([...adminOperations(appDoc), ...adminOperations(adminDoc)].map((o) => [key(o), o]));
    operations = [...byKey.values()].sort((a, b) => key(a).localeCompare(key(b)));

    await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
    tokens.admin = await t.login();
    const verified = await t.registerVolunteer('verified@example.org', { certificateExpiresOn: '2099-01-01' });
    expect((await t.call('POST', `/api/admin/volunteers/${verified.id}/verify`, tokens.admin)).status).toBe(200);
    tokens.verified = verified.token;
    tokens.pending = (await t.registerVolunteer('pending@example.org')).token;
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  const request = (o: Operation, token?: string) =>
    t.call(o.method, `/api${o.path.replaceAll('{id}', SOME_ID)}`, token, o.method === 'GET' ? undefined : {});

  it('finds the admin console routes in the OpenAPI document', () => {
    const paths = operations.map(key);
    for (const expected of [
      'POST /admin/volunteers/{id}/verify',
      'POST /admin/volunteers/{id}/reject',
      'GET /admin/aeds',
      'POST /admin/aeds',
      'PATCH /admin/aeds/{id}',
      'POST /admin/aeds/import',
      'GET /admin/aeds/export.geojson',
      'POST /admin/qr-spots',
      'GET /admin/qr-spots/{id}/sheet.svg',
      'GET /admin/incidents',
      'GET /admin/reports.csv',
      'GET /admin/coverage',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it('documents every route the router serves under /api/admin', () => {
    const documented = new Set(operations.map((o) => `${o.method} /api${o.path.replace(/\{(\w+)\}/g, ':$1')}`));
    const served = t.app.routes.filter((r) => r.path.startsWith('/api/admin') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('answers 401 UNAUTHORIZED to an anonymous caller on every admin route', async () => {
    const wrong: string[] = [];
    for (const o of operations) {
      const res = await request(o);
      const body = res.status === 401 ? await res.json() : undefined;
      if (res.status !== 401 || body.error.code !== 'UNAUTHORIZED') wrong.push(`${key(o)} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(['verified', 'pending'] as const)('answers 403 FORBIDDEN to a %s volunteer on every admin route', async (who) => {
    const wrong: string[] = [];
    for (const o of operations) {
      const res = await request(o, tokens[who]);
      const body = res.status === 403 ? await res.json() : undefined;
      if (res.status !== 403 || body.error.code !== 'FORBIDDEN') wrong.push(`${key(o)} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets an admin through on every admin route: a success, or a 4xx about the input', async () => {
    const wrong: string[] = [];
    for (const o of operations) {
      const res = await request(o, tokens.admin);
      if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`${key(o)} -> ${res.status} ${await res.text()}`);
    }
    expect(wrong).toEqual([]);
  });
});
