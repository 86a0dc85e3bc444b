import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedApp } from '../../../api/server.ts';
import { createTestApp } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

const LIBRARY_QR = 'b3jyvkxm';

describe.each(testDrivers)('bad input on the SOS, incident and volunteer routes on %s', (driver) => {
  let database: TestDatabase;
  let prepared: PreparedApp;
  let volunteerToken: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    prepared = await createTestApp(database, { SEED_DEMO: 'true' });
    const res = await prepared.app.request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bad-input@example.org', password: 'volunteer-pw-1', displayName: 'B' }),
    });
    volunteerToken = (await res.json()).token;
  });
  afterAll(async () => {
    await prepared.close();
    await database.close();
  });

  async function counts() {
    const rows = (await database.db.execute(
      `select (select count(*) from incidents)::int as i, (select count(*) from dispatches)::int as d, (select count(*) from outbox)::int as o, (select count(*) from volunteer_duty where lat is not null)::int as p` as never,
    )) as unknown as { rows?: Record<string, number>[] } & Record<string, number>[];
    return (rows.rows ?? rows)[0];
  }

  const auth = () => ({ authorization: `Bearer ${volunteerToken}` });
  const cases: [string, string, string, unknown, () => Record<string, string>][] = [
    ['no body', 'POST', '/api/incidents', undefined, () => ({})],
    ['malformed JSON', 'POST', '/api/incidents', '{"qrCode":', () => ({})],
    ['a QR code with symbols', 'POST', '/api/incidents', { qrCode: '<script>', clientRequestId: randomUUID() }, () => ({})],
    ['an unknown QR code', 'POST', '/api/incidents', { qrCode: 'zzzzzzzz', clientRequestId: randomUUID() }, () => ({})],
    ['a client id that is not a UUID', 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: 'abc' }, () => ({})],
    ['a latitude out of range', 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID(), gps: { lat: 91, lng: 0 } }, () => ({})],
    ['a negative accuracy', 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID(), gps: { lat: 42, lng: -87, accuracyM: -1 } }, () => ({})],
    ['an incident id that is not a UUID', 'GET', '/api/incidents/123', undefined, () => ({ 'x-incident-token': 'x'.repeat(20) })],
    ['a wrong incident token', 'GET', `/api/incidents/${randomUUID()}`, undefined, () => ({ 'x-incident-token': 'x'.repeat(20) })],
    ['a cancel with a wrong token', 'POST', `/api/incidents/${randomUUID()}/cancel`, undefined, () => ({ 'x-incident-token': 'x'.repeat(20) })],
    ['an unknown action', 'POST', `/api/incidents/${randomUUID()}/respond`, { action: 'maybe' }, auth],
    ['an answer without a token', 'POST', `/api/incidents/${randomUUID()}/respond`, { action: 'accept' }, () => ({})],
    ['duty that is not a boolean', 'PUT', '/api/volunteer/duty', { onDuty: 'yes' }, auth],
    ['a position off the planet', 'POST', '/api/volunteer/position', { lat: 42, lng: 181 }, auth],
    ['a position while off duty', 'POST', '/api/volunteer/position', { lat: 42.05, lng: -87.67 }, auth],
    ['nearest AEDs without coordinates', 'GET', '/api/aeds/nearest', undefined, () => ({})],
    ['nearest AEDs with a huge limit', 'GET', '/api/aeds/nearest?lat=42&lng=-87&limit=100000', undefined, () => ({})],
    ['an unknown QR spot', 'GET', '/api/qr/zzzzzzzz', undefined, () => ({})],
  ];

  it.each(cases)('answers %s with a 4xx and the error body, and writes nothing', async (_name, method, path, body, headers) => {
    const before = await counts();
    const res = await prepared.app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers() },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const json = await res.json();
    expect(json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(await counts()).toEqual(before);
  });
});

describe('GET /api/route on the demo campus', () => {
  let database: TestDatabase;
  let prepared: PreparedApp;
  beforeAll(async () => {
    database = await openTestDb('pglite');
    prepared = await createTestApp(database, { SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await prepared.close();
    await database.close();
  });

  it('returns a path on the campus walkways via the AED, longer than the straight line', async () => {
    const res = await prepared.app.request('/api/route?from=42.0522,-87.6741&via=42.053144,-87.67413&to=42.053032,-87.674044');
    expect(res.status).toBe(200);
    const route = await res.json();
    expect(route.properties.onGraph).toBe(true);
    expect(route.geometry.coordinates.length).toBeGreaterThan(3);
    expect(route.geometry.coordinates[0]).toEqual([-87.6741, 42.0522]);
    expect(route.properties.timeS).toBeGreaterThan(0);
  });

  it('refuses a malformed point with 400', async () => {
    expect((await prepared.app.request('/api/route?from=abc&to=42,-87')).status).toBe(400);
    expect((await prepared.app.request('/api/route?from=91,0&to=42,-87')).status).toBe(400);
  });
});
