import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { users, volunteerDuty } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from '../dispatch/helpers.ts';
import { expectNoLeak, helloBystander, http, identityOf, openSocket, type RecordingSocket } from './security-helpers.ts';

// Positions with seven decimals (the campus data has six), so no AED, walkway or QR spot prints the same number.
const SOUTH = { lat: 42.0522137, lng: -87.6741173 };
const SOUTH_EN_ROUTE = { lat: 42.0528713, lng: -87.6735293 };
const EAST = { lat: 42.0534197, lng: -87.6728537 };
const EAST_LATER = { lat: 42.0533771, lng: -87.6729117 };
const FAR = { lat: 42.1400137, lng: -87.7600173 }; // ~12 km away: past the widest search, never alerted for the library

interface Volunteer extends TestVolunteer {
  email: string;
  displayName: string;
  phone: string;
}

describe.each(testDrivers)('what bystanders, volunteers and the public see of volunteers on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock();
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '1000' }, { clock, incidents: { acceptTimeoutMs: 24 * 3_600_000 } });
  });
  afterAll(async () => {
    for (const s of open.splice(0)) await s.close();
    await server.close();
    await database.close();
  });
  beforeEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await database.execute(`truncate incidents, outbox, volunteer_duty, sessions, users cascade; update aeds set claimed_by_incident_id = null, status = case when status = 'in_use' then 'in_service' else status end`);
  });

  /** A verified volunteer on duty at `at`, with a phone number on file. */
  async function volunteer(name: string, at: { lat: number; lng: number }, phone: string): Promise<Volunteer> {
    const v = await onDutyVolunteer(server.url, database, name, at);
    open.push(v.socket);
    await database.db.update(users).set({ phone }).where(eq(users.id, v.id));
    const me = await http(server.url, 'GET', '/api/auth/me', { token: v.token });
    return { ...v, email: me.body.email, displayName: me.body.displayName, phone };
  }
  const southOnly = () => volunteer('zuzanna-south', SOUTH, '+86 138 0013 8001');
  async function crew() {
    const south = await southOnly();
    const east = await volunteer('bartholomew-east', EAST, '+86 138 0013 8002');
    const far = await volunteer('ignatius-far', FAR, '+86 138 0013 8003');
    return { south, east, far };
  }
  async function sos() {
    const res = await http(server.url, 'POST', '/api/incidents', { body: { qrCode: LIBRARY_QR, clientRequestId: randomUUID() } });
    expect(res.status).toBe(201);
    return res;
  }
  async function bystander(incidentId: string, publicToken: string): Promise<RecordingSocket> {
    const s = await openSocket(server.url);
    open.push(s);
    expect(await helloBystander(s, incidentId, publicToken)).toMatchObject({ type: 'welcome' });
    return s;
  }
  const view = (incidentId: string, publicToken: string) => http(server.url, 'GET', `/api/incidents/${incidentId}`, { headers: { 'x-incident-token': publicToken } });
  /** Waits until the API holds a volunteer's position (positions are handled asynchronously). */
  async function positionTaken(v: TestVolunteer, at: { lat: number; lng: number }) {
    v.socket.send({ type: 'position', ...at, accuracyM: 8 });
    await expect.poll(async () => (await http(server.url, 'GET', '/api/volunteer/duty', { token: v.token })).body.position?.lat, { timeout: 5_000 }).toBe(at.lat);
  }

  it('shows the bystander no volunteer before anyone accepts: counts and ETAs only', async () => {
    const { south, east, far } = await crew();
    const created = await sos();
    const { incidentId, publicToken } = created.body;
    await south.socket.waitFor(eventOf('alert', incidentId));
    const watcher = await bystander(incidentId, publicToken);
    await watcher.waitFor(eventOf('status', incidentId));
    const got = await view(incidentId, publicToken);

    expect(created.body.view.alerted).toBeGreaterThanOrEqual(2);
    for (const v of [created.body.view, got.body]) {
      expect(v.accepted).toBe(0);
      expect(v.responders).toEqual([]);
    }
    const seen = JSON.stringify([created.body, got.body, watcher.frames]);
    expectNoLeak(seen, identityOf(south, SOUTH), 'the bystander (south)');
    expectNoLeak(seen, identityOf(east, EAST), 'the bystander (east)');
    expectNoLeak(seen, identityOf(far, FAR), 'the bystander (far)');
  });

  it('shows the bystander an anonymous marker of the volunteer who accepted, and nothing of the others', async () => {
    const { south, east, far } = await crew();
    const { incidentId, publicToken } = (await sos()).body;
    await south.socket.waitFor(eventOf('alert', incidentId));
    await east.socket.waitFor(eventOf('alert', incidentId));
    const watcher = await bystander(incidentId, publicToken);

    expect((await http(server.url, 'POST', `/api/incidents/${incidentId}/respond`, { token: south.token, body: { action: 'accept' } })).status).toBe(200);
    const accepted = await watcher.waitFor((f) => eventOf('status', incidentId)(f) && f.event.view.accepted === 1);
    expect(accepted.event.view.responders).toEqual([expect.objectContaining({ position: null })]);
    await positionTaken(south, SOUTH_EN_ROUTE);
    await positionTaken(east, EAST_LATER); // east has not accepted: still nobody's business
    await watcher.waitFor((f) => eventOf('status', incidentId)(f) && f.event.view.responders[0]?.position?.lat === SOUTH_EN_ROUTE.lat);

    const got = await view(incidentId, publicToken);
    expect(got.body.responders).toHaveLength(1);
    expect(Object.keys(got.body.responders[0]).sort()).toEqual(['etaAt', 'label', 'position', 'role', 'status']);
    expect(got.body.responders[0].position).toEqual(SOUTH_EN_ROUTE);
    const seen = JSON.stringify([got.body, watcher.frames]);
    expectNoLeak(seen, identityOf(south, SOUTH), 'the bystander (south: identity, position before accepting)');
    expectNoLeak(seen, identityOf(east, EAST), 'the bystander (east)');
    expectNoLeak(seen, identityOf(east, EAST_LATER), 'the bystander (east, later)');
    expectNoLeak(seen, identityOf(far, FAR), 'the bystander (far)');
  });

  it('answers a view or a cancel without the right incident token with 404 and no data, and changes nothing', async () => {
    const south = await southOnly();
    const { incidentId, publicToken } = (await sos()).body;
    await south.socket.waitFor(eventOf('alert', incidentId));
    const attempts = [
      http(server.url, 'GET', `/api/incidents/${incidentId}`),
      http(server.url, 'GET', `/api/incidents/${incidentId}?token=${'x'.repeat(43)}`),
      http(server.url, 'GET', `/api/incidents/${incidentId}`, { headers: { 'x-incident-token': 'y'.repeat(43) } }),
      // Being alerted to an incident gives a volunteer no bystander access to it.
      http(server.url, 'GET', `/api/incidents/${incidentId}`, { token: south.token }),
      http(server.url, 'POST', `/api/incidents/${incidentId}/cancel`),
      http(server.url, 'POST', `/api/incidents/${incidentId}/cancel`, { token: south.token, headers: { 'x-incident-token': 'z'.repeat(43) } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expectNoLeak(res.text, { ...identityOf(south, SOUTH), incident: incidentId, place: 'Library' }, 'a refused view');
    }
    expect((await view(incidentId, publicToken)).body.state).toBe('open');
  });

  it("keeps other volunteers' identities and positions from a volunteer, on the WebSocket and over HTTP", async () => {
    const { south, east, far } = await crew();
    const { incidentId } = (await sos()).body;
    await south.socket.waitFor(eventOf('alert', incidentId));
    await east.socket.waitFor(eventOf('alert', incidentId));
    expect((await http(server.url, 'POST', `/api/incidents/${incidentId}/respond`, { token: south.token, body: { action: 'accept' } })).status).toBe(200);
    await positionTaken(south, SOUTH_EN_ROUTE);
    expect((await http(server.url, 'POST', `/api/incidents/${incidentId}/respond`, { token: east.token, body: { action: 'decline' } })).status).toBe(200);

    for (const [me, others] of [[south, [east, far]], [east, [south, far]], [far, [south, east]]] as const) {
      const own = await Promise.all(['/api/auth/me', '/api/volunteer/duty'].map((p) => http(server.url, 'GET', p, { token: me.token })));
      const seen = JSON.stringify([me.socket.frames, own.map((r) => r.body)]);
      for (const other of others) {
        const at = other === south ? [SOUTH, SOUTH_EN_ROUTE] : other === east ? [EAST] : [FAR];
        for (const p of at) expectNoLeak(seen, identityOf(other, p), `${me.displayName} about ${other.displayName}`);
      }
    }

    // far was not alerted: no frame names the incident, and no route opens it.
    expect(JSON.stringify(far.socket.frames)).not.toContain(incidentId);
    for (const [method, path, body] of [
      ['GET', `/api/incidents/${incidentId}`, undefined],
      ['POST', `/api/incidents/${incidentId}/respond`, { action: 'accept' }],
      ['POST', `/api/incidents/${incidentId}/resolve`, undefined],
    ] as const) {
      const res = await http(server.url, method, path, { token: far.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(Object.keys(res.body)).toEqual(['error']);
    }
    const sneaking = await openSocket(server.url);
    open.push(sneaking);
    expect(await helloBystander(sneaking, incidentId, far.token)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect(await sneaking.closed).toBe(4401);
  });

  it('tells the public routes nothing about volunteers on duty', async () => {
    const { south, east, far } = await crew();
    const spot = (await http(server.url, 'GET', `/api/qr/${LIBRARY_QR}`)).body;
    const answers = await Promise.all(
      [
        '/api/health',
        '/api/config',
        '/api/campuses',
        '/api/campuses/northwestern-evanston/map',
        `/api/qr/${LIBRARY_QR}`,
        `/api/aeds/nearest?lat=${spot.lat}&lng=${spot.lng}&limit=50`,
        '/api/push/key',
        '/api/openapi.json',
        '/api/docs',
      ].map((p) => http(server.url, 'GET', p)),
    );
    for (const res of answers) expect(res.status).toBe(200);
    const seen = answers.map((r) => r.text).join('\n');
    for (const [v, at] of [[south, SOUTH], [east, EAST], [far, FAR]] as const) expectNoLeak(seen, identityOf(v, at), `the public routes (${v.displayName})`);
  });

  it('gives the incident detail, with names and positions, to admins only', async () => {
    const south = await southOnly();
    const { incidentId } = (await sos()).body;
    await south.socket.waitFor(eventOf('alert', incidentId));
    const refused = await http(server.url, 'GET', `/api/admin/incidents/${incidentId}`, { token: south.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect((await http(server.url, 'GET', '/api/admin/volunteers', { token: south.token })).status).toBe(403);

    const admin = await http(server.url, 'POST', '/api/auth/register', { body: { email: `admin-${randomUUID().slice(0, 8)}@example.org`, password: 'admin-Secret-1', displayName: 'Admin' } });
    await database.db.update(users).set({ role: 'admin', verification: 'verified' }).where(eq(users.id, admin.body.user.id));
    const detail = await http(server.url, 'GET', `/api/admin/incidents/${incidentId}`, { token: admin.body.token });
    expect(detail.status).toBe(200);
    expect(detail.text).toContain(south.displayName); // what the 403 keeps from volunteers
  });

  it('deletes the stored position when the volunteer goes off duty, and takes no new one', async () => {
    const south = await southOnly();
    const duty = async () => (await database.db.select().from(volunteerDuty).where(eq(volunteerDuty.userId, south.id)))[0]!;
    await clock.advance(2_500); // the batched position write
    expect(await duty()).toMatchObject({ onDuty: true, lat: SOUTH.lat, lng: SOUTH.lng });

    await positionTaken(south, SOUTH_EN_ROUTE); // queued for the next batch
    expect((await http(server.url, 'PUT', '/api/volunteer/duty', { token: south.token, body: { onDuty: false } })).body.position).toBeNull();
    await clock.advance(2_500); // the queued batch must not bring it back
    expect(await duty()).toMatchObject({ onDuty: false, lat: null, lng: null, accuracyM: null, level: null, h3Cell: null, positionAt: null });

    south.socket.send({ type: 'position', ...SOUTH, ref: 'off-duty' });
    expect(await south.socket.waitFor((f) => f.type === 'error' && f.ref === 'off-duty')).toMatchObject({ code: 'NOT_ON_DUTY' });
    expect((await http(server.url, 'POST', '/api/volunteer/position', { token: south.token, body: SOUTH })).status).toBe(409);
    expect((await http(server.url, 'GET', '/api/volunteer/duty', { token: south.token })).body.position).toBeNull();
    const { incidentId } = (await sos()).body;
    expect(south.socket.frames.some(eventOf('alert', incidentId))).toBe(false);
    expect((await duty()).lat).toBeNull();
  });

  it('never puts a password hash in an answer', async () => {
    const south = await southOnly();
    const admin = await http(server.url, 'POST', '/api/auth/register', { body: { email: `hash-admin-${randomUUID().slice(0, 8)}@example.org`, password: 'admin-Secret-1', displayName: 'Admin' } });
    await database.db.update(users).set({ role: 'admin', verification: 'verified' }).where(eq(users.id, admin.body.user.id));
    const { incidentId, publicToken } = (await sos()).body;
    const answers = [
      admin,
      await http(server.url, 'POST', '/api/auth/login', { body: { email: south.email, password: 'volunteer-pw-1' } }),
      await http(server.url, 'GET', '/api/auth/me', { token: south.token }),
      await http(server.url, 'GET', '/api/volunteer/duty', { token: south.token }),
      await http(server.url, 'GET', '/api/admin/volunteers', { token: admin.body.token }),
      await http(server.url, 'GET', `/api/admin/volunteers?q=${encodeURIComponent(south.email)}`, { token: admin.body.token }),
      await http(server.url, 'POST', `/api/admin/volunteers/${south.id}/verify`, { token: admin.body.token, body: {} }),
      await http(server.url, 'POST', `/api/admin/volunteers/${south.id}/reject`, { token: admin.body.token, body: { reason: 'test' } }),
      await http(server.url, 'GET', `/api/admin/incidents/${incidentId}`, { token: admin.body.token }),
      await http(server.url, 'GET', '/api/admin/incidents', { token: admin.body.token }),
      await view(incidentId, publicToken),
    ];
    for (const res of answers) expect(res.status, res.text.slice(0, 200)).toBeLessThan(300);
    const hashes = (await database.db.select({ hash: users.passwordHash }).from(users)).map((r) => r.hash);
    const seen = answers.map((r) => r.text).join('\n');
    expect(seen).not.toContain('scrypt$');
    for (const hash of hashes) expect(seen).not.toContain(hash.split('$').at(-1));
  });
});
