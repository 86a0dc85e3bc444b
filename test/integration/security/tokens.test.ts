import { randomUUID } from 'node:crypto';
import { eq, ne } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { qrSpots, volunteerDuty } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from '../dispatch/helpers.ts';
import { dispatchStatus, helloBystander, helloVolunteer, http, openSocket, type RecordingSocket } from './security-helpers.ts';

const ADMIN = { email: 'tokens-admin@example.org', password: 'tokens-Admin-pw-1' };
const NEAR_LIBRARY = { lat: 42.0522, lng: -87.6741 };

/** The same token with its last character changed (still well-formed). */
const tamper = (token: string) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

describe.each(testDrivers)('token expiry and revocation on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock();
  const sockets: (RecordingSocket | TestVolunteer['socket'])[] = [];
  let otherSpot: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(
      database,
      { SEED_DEMO: 'true', TOKEN_TTL_HOURS: '1', SOS_BURST: '100', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      { clock, incidents: { acceptTimeoutMs: 24 * 3_600_000 } },
    );
    const [spot] = await database.db.select({ code: qrSpots.code }).from(qrSpots).where(ne(qrSpots.code, LIBRARY_QR)).limit(1);
    otherSpot = spot!.code;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.close();
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  async function register(name: string) {
    const res = await http(server.url, 'POST', '/api/auth/register', { body: { email: `${name}-${randomUUID().slice(0, 8)}@example.org`, password: 'volunteer-pw-1', displayName: name } });
    expect(res.status).toBe(201);
    return { token: res.body.token as string, id: res.body.user.id as string, email: res.body.user.email as string };
  }
  async function socket() {
    const s = await openSocket(server.url);
    sockets.push(s);
    return s;
  }
  async function volunteer(name: string) {
    const v = await onDutyVolunteer(server.url, database, name, NEAR_LIBRARY);
    sockets.push(v.socket);
    return v;
  }
  const me = (token: string) => http(server.url, 'GET', '/api/auth/me', { token });
  /** An SOS at the library; the spot's previous incident is cancelled first so this one alerts afresh. */
  async function sosAtLibrary() {
    const res = await http(server.url, 'POST', '/api/incidents', { body: { qrCode: LIBRARY_QR, clientRequestId: randomUUID() } });
    expect(res.status).toBe(201);
    return res.body as { incidentId: string; publicToken: string; view: { alerted: number } };
  }
  const cancel = (incident: { incidentId: string; publicToken: string }) =>
    http(server.url, 'POST', `/api/incidents/${incident.incidentId}/cancel`, { headers: { 'x-incident-token': incident.publicToken } });

  it('refuses a token once TOKEN_TTL_HOURS have passed, over HTTP and at WebSocket hello', async () => {
    const user = await register('expiring');
    const issuedAt = clock.now().getTime();
    expect((await me(user.token)).status).toBe(200);
    // set, not advance: an hour of the escalation sweep's timers is not what this test is about.
    clock.set(new Date(issuedAt + 59 * 60_000));
    expect((await me(user.token)).status).toBe(200);
    clock.set(new Date(issuedAt + 61 * 60_000));
    const expired = await me(user.token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('UNAUTHORIZED');
    expect((await http(server.url, 'GET', '/api/volunteer/duty', { token: user.token })).status).toBe(401);
    expect(clock.now().getTime() - issuedAt).toBeGreaterThan(3_600_000);

    const s = await socket();
    expect(await helloVolunteer(s, user.token)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect(await s.closed).toBe(4401);
  });

  it("revokes a token on logout (401 afterwards) and leaves the user's other sessions signed in", async () => {
    const user = await register('leaving');
    const other = await http(server.url, 'POST', '/api/auth/login', { body: { email: user.email, password: 'volunteer-pw-1' } });
    expect(other.status).toBe(200);
    expect((await http(server.url, 'POST', '/api/auth/logout', { token: user.token })).status).toBe(200);
    for (const [method, path] of [['GET', '/api/auth/me'], ['GET', '/api/volunteer/duty'], ['PUT', '/api/volunteer/duty']] as const) {
      const res = await http(server.url, method, path, { token: user.token, body: method === 'PUT' ? { onDuty: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await me(other.body.token)).status).toBe(200);
  });

  it('refuses the answer of an open WebSocket whose token was logged out, closes it with 4401, and refuses a reconnect', async () => {
    const v = await volunteer('logged-out');
    const incident = await sosAtLibrary();
    await v.socket.waitFor(eventOf('alert', incident.incidentId));
    const closed = new Promise<number>((resolve) => v.socket.ws.once('close', (code) => resolve(code)));

    expect((await http(server.url, 'POST', '/api/auth/logout', { token: v.token })).status).toBe(200);
    v.socket.send({ type: 'respond', incidentId: incident.incidentId, action: 'accept', ref: 'late' });
    expect(await v.socket.waitFor((f) => f.type === 'error' && f.ref === 'late')).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await closed).toBe(4401);
    expect(await dispatchStatus(database, incident.incidentId, v.id)).toBe('alerted');

    const again = await socket();
    expect(await helloVolunteer(again, v.token)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect(await again.closed).toBe(4401);
    await cancel(incident);

    // Signed out of their only session, nobody can answer their alerts: they are off duty, position deleted.
    const [duty] = await database.db.select().from(volunteerDuty).where(eq(volunteerDuty.userId, v.id));
    expect(duty).toMatchObject({ onDuty: false, lat: null, lng: null, h3Cell: null });
    const next = await sosAtLibrary();
    expect(await dispatchStatus(database, next.incidentId, v.id)).toBeUndefined();
    await cancel(next);
  });

  it('stops planning a volunteer an admin rejects, and refuses their answers over HTTP and the WebSocket', async () => {
    const v = await volunteer('suspended');
    const first = await sosAtLibrary();
    await v.socket.waitFor(eventOf('alert', first.incidentId));

    const admin = await http(server.url, 'POST', '/api/auth/login', { body: ADMIN });
    const rejected = await http(server.url, 'POST', `/api/admin/volunteers/${v.id}/reject`, { token: admin.body.token, body: { reason: 'certificate withdrawn' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.dispatchable).toBe(false);

    const overHttp = await http(server.url, 'POST', `/api/incidents/${first.incidentId}/respond`, { token: v.token, body: { action: 'accept' } });
    expect(overHttp.status).toBe(403);
    expect(overHttp.body.error.code).toBe('FORBIDDEN');
    v.socket.send({ type: 'respond', incidentId: first.incidentId, action: 'accept', ref: 'ws-accept' });
    expect(await v.socket.waitFor((f) => f.type === 'error' && f.ref === 'ws-accept')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await dispatchStatus(database, first.incidentId, v.id)).toBe('alerted');

    expect((await cancel(first)).status).toBe(200);
    const second = await sosAtLibrary();
    expect(await dispatchStatus(database, second.incidentId, v.id)).toBeUndefined();
    expect(v.socket.frames.some(eventOf('alert', second.incidentId))).toBe(false);
    await cancel(second);
  });

  it('refuses tampered, truncated, extended and misplaced tokens', async () => {
    const user = await register('tampered');
    const forged = [tamper(user.token), user.token.slice(0, -1), `${user.token}A`, user.token.toUpperCase(), randomUUID().replaceAll('-', '')];
    for (const token of forged) {
      const res = await me(token);
      expect(res.status, token).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    for (const authorization of [`Basic ${user.token}`, `Bearer`, `Token ${user.token}`, `Bearer ${user.token}.${user.token}`]) {
      expect((await http(server.url, 'GET', '/api/auth/me', { headers: { authorization } })).status, authorization).toBe(401);
    }
    // Only the Authorization header carries a session: not the query, not the incident-token header.
    expect((await http(server.url, 'GET', `/api/auth/me?token=${user.token}`)).status).toBe(401);
    expect((await http(server.url, 'GET', '/api/auth/me', { headers: { 'x-incident-token': user.token } })).status).toBe(401);
    expect((await me(user.token)).status).toBe(200);

    const s = await socket();
    expect(await helloVolunteer(s, tamper(user.token))).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect(await s.closed).toBe(4401);
  });

  it('refuses a tampered incident token, another incident’s token and a session token in its place', async () => {
    const a = await sosAtLibrary();
    const b = (await http(server.url, 'POST', '/api/incidents', { body: { qrCode: otherSpot, clientRequestId: randomUUID() } })).body;
    const user = await register('not-a-bystander');
    for (const token of [tamper(a.publicToken), b.publicToken, user.token, a.publicToken.slice(0, -2)]) {
      const res = await http(server.url, 'GET', `/api/incidents/${a.incidentId}`, { headers: { 'x-incident-token': token } });
      expect(res.status, token).toBe(404);
      expect(Object.keys(res.body)).toEqual(['error']);
    }
    const s = await socket();
    expect(await helloBystander(s, a.incidentId, tamper(a.publicToken))).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect(await s.closed).toBe(4401);
    expect(s.frames.filter((f) => f.type === 'event')).toEqual([]);
    await cancel(a);
    await cancel(b);
  });
});
