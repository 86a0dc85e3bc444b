import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { PreparedApp } from '../../../api/server.ts';
import { createTestApp } from '../../support/app.ts';
import type { TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import type { AuthKind, Hints } from './http-inputs.ts';

/**
 * The app the HTTP fuzz suite drives: the demo campus, an admin, a verified and a pending
 * volunteer, one open incident, and known-good values (ids, codes, tokens) to reach past validation.
 * The clock is fake, so no escalation, drill or position-flush timer writes behind a request's back,
 * and push messages go to a stub instead of the network.
 */

export const ADMIN = { email: 'fuzz-admin@example.org', password: 'fuzz-admin-pw-1' };
const VOLUNTEER = { email: 'fuzz-volunteer@example.org', password: 'volunteer-pw-1' };

export interface FuzzApp {
  prepared: PreparedApp;
  tokens: Record<Exclude<AuthKind, 'none' | 'malformed' | 'forged'>, string>;
  /** Sessions POST /api/auth/logout may revoke, so the shared ones stay signed in. */
  disposableTokens: string[];
  hints: Hints;
}

async function call(prepared: PreparedApp, method: string, path: string, token?: string, body?: unknown) {
  const res = await prepared.app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} during set-up: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function createFuzzApp(database: TestDatabase): Promise<FuzzApp> {
  const env = { SEED_DEMO: 'true', SOS_BURST: '100000', SOS_PER_MINUTE: '1000000', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const prepared = await createTestApp(database, env, { clock: createFakeClock(), push: { send: async () => ({ status: 201 }) } });
  const login = async () => (await call(prepared, 'POST', '/api/auth/login', undefined, ADMIN)).token as string;
  const admin = await login();
  const volunteer = await call(prepared, 'POST', '/api/auth/register', undefined, { ...VOLUNTEER, displayName: 'Fuzz V' });
  await call(prepared, 'POST', `/api/admin/volunteers/${volunteer.user.id}/verify`, admin, { certificateExpiresOn: '2099-01-01' });
  const pending = await call(prepared, 'POST', '/api/auth/register', undefined, { email: 'fuzz-pending@example.org', password: 'pending-pw-1', displayName: 'P' });

  const { campuses } = await call(prepared, 'GET', '/api/admin/campuses', admin);
  const campus = campuses[0];
  const { buildings } = await call(prepared, 'GET', `/api/admin/campuses/${campus.id}/buildings`, admin);
  const { aeds } = await call(prepared, 'GET', '/api/admin/aeds?limit=4', admin);
  const { spots } = await call(prepared, 'GET', '/api/admin/qr-spots', admin);
  const codes: string[] = spots.slice(0, 4).map((s: { code: string }) => s.code);
  const incident = await call(prepared, 'POST', '/api/incidents', undefined, { qrCode: codes[0], clientRequestId: randomUUID() });

  const ids = [campus.id, volunteer.user.id, pending.user.id, incident.incidentId, buildings[0].id, ...aeds.map((a: { id: string }) => a.id), ...spots.slice(0, 3).map((s: { id: string }) => s.id)];
  const nearCampus = fc.record({ lat: fc.double({ min: 42.05, max: 42.06, noNaN: true }), lng: fc.double({ min: -87.68, max: -87.67, noNaN: true }) });
  const aedFeature = fc.record({
    type: fc.constant('Feature'),
    id: fc.option(fc.stringMatching(/^node\/\d{1,10}$/)),
    geometry: nearCampus.map((p) => ({ type: 'Point', coordinates: [p.lng, p.lat] })),
    properties: fc.record(
      {
        emergency: fc.constantFrom('defibrillator', 'yes'),
        ref: fc.stringMatching(/^[a-z0-9]{1,8}$/),
        access: fc.constantFrom('yes', 'private', 'maybe'),
        indoor: fc.constantFrom('yes', 'no', '42'),
        level: fc.constantFrom('0', '1;2', '-1', 'x'),
        opening_hours: fc.constantFrom('24/7', 'Mo-Fr 08:00-18:00', 'nonsense'),
        'defibrillator:location': fc.string({ maxLength: 40 }),
      },
      { requiredKeys: ['emergency'] },
    ),
  });
  const hints: Hints = {
    id: fc.constantFrom(...ids),
    code: fc.constantFrom(...codes),
    qrCode: fc.constantFrom(...codes),
    slug: fc.constant(campus.slug),
    campus: fc.constant(campus.slug),
    campusId: fc.constant(campus.id),
    buildingId: fc.constantFrom(...buildings.slice(0, 3).map((b: { id: string }) => b.id)),
    token: fc.constant(incident.publicToken),
    'x-incident-token': fc.constant(incident.publicToken),
    email: fc.oneof(fc.constantFrom(ADMIN.email, VOLUNTEER.email), fc.emailAddress()),
    password: fc.oneof(fc.constantFrom(ADMIN.password, VOLUNTEER.password), fc.string({ minLength: 8, maxLength: 20 })),
    endpoint: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constant('https://push.example.org/send/fuzz')),
    p256dh: fc.stringMatching(/^[A-Za-z0-9_-]{87}$/),
    auth: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    lat: nearCampus.map((p) => p.lat),
    lng: nearCampus.map((p) => p.lng),
    from: nearCampus.map((p) => `${p.lat.toFixed(5)},${p.lng.toFixed(5)}`),
    to: nearCampus.map((p) => `${p.lat.toFixed(5)},${p.lng.toFixed(5)}`),
    via: nearCampus.map((p) => `${p.lat.toFixed(5)},${p.lng.toFixed(5)}`),
    features: fc.array(aedFeature, { maxLength: 3 }),
    openingHours: fc.constantFrom('24/7', 'Mo-Fr 08:00-18:00', 'Mo-Fr 25:00-26:00'),
    phone: fc.constantFrom('+1 847 491 3741', '12345'),
  };
  return {
    prepared,
    tokens: { admin, volunteer: volunteer.token, pending: pending.token },
    disposableTokens: [await login(), await login(), await login()],
    hints,
  };
}
