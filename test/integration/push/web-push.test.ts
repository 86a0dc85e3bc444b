import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushSubscriptions } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { api, eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from '../dispatch/helpers.ts';
import { createTestDevice, decryptAes128gcm, startPushReceiver, verifyVapid, type TestDevice } from './push-receiver.ts';

const NEAR_LIBRARY = { lat: 42.0522, lng: -87.6741 };

describe.each(testDrivers)('Web Push alerts on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  let receiver: Awaited<ReturnType<typeof startPushReceiver>>;
  let publicKey: string;
  const clock = createFakeClock(); // Monday 09:00 in Evanston: office-hours AEDs are open
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    receiver = await startPushReceiver();
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '1000' }, { clock });
    publicKey = (await api(server.url, 'GET', '/api/push/key')).body.publicKey;
  });
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close();
    await receiver.close();
    await server.close();
    await database.close();
  });
  beforeEach(async () => {
    for (const v of volunteers.splice(0)) await v.socket.close();
    receiver.received.length = 0;
    await database.execute(`truncate incidents, outbox, volunteer_duty, sessions, push_subscriptions, users cascade; update aeds set claimed_by_incident_id = null, status = case when status = 'in_use' then 'in_service' else status end`);
  });

  async function volunteerWithDevice(name: string, at = NEAR_LIBRARY): Promise<{ v: TestVolunteer; device: TestDevice; id: string }> {
    const v = await onDutyVolunteer(server.url, database, name, at);
    volunteers.push(v);
    const device = createTestDevice();
    const id = randomUUID();
    const res = await api(server.url, 'POST', '/api/volunteer/push/subscriptions', device.subscription(`${receiver.url}/push/${id}`), { authorization: `Bearer ${v.token}` });
    expect(res.status).toBe(200);
    return { v, device, id };
  }

  const sos = () => api(server.url, 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID() });

  it('serves a VAPID public key that is kept across restarts', async () => {
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const again = await startTestServer(database, {}, { clock });
    expect((await api(again.url, 'GET', '/api/push/key')).body.publicKey).toBe(publicKey);
    await again.close();
  });

  it('delivers the alert to the push service encrypted, signed, and decryptable with the subscription keys', async () => {
    const { v, device, id } = await volunteerWithDevice('pocket');
    const created = await sos();
    expect(created.status).toBe(201);
    const { incidentId } = created.body;
    const wsAlert = await v.socket.waitFor(eventOf('alert', incidentId));
    const push = await receiver.waitFor((p) => p.path === `/push/${id}`);

    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers.ttl).toBe('60');
    expect(push.headers.urgency).toBe('high');
    expect(push.body.includes(Buffer.from(incidentId))).toBe(false); // encrypted on the wire
    expect(push.body.length).toBeLessThan(3 * 1024);
    const claims = verifyVapid(push.headers.authorization, publicKey);
    expect(claims.aud).toBe(receiver.url);

    const alert = JSON.parse(decryptAes128gcm(push.body, device).toString('utf8'));
    expect(alert).toEqual({
      alertId: `${incidentId}:${wsAlert.event.dispatchId}`,
      type: 'alert',
      incidentId,
      role: wsAlert.event.role,
      patient: expect.stringContaining('Northwestern University Library'),
      isDrill: false,
      url: `/responder?incident=${incidentId}`,
    });
    await waitUntil(async () => (await subscriptionOf(id))?.lastSuccessAt != null);
  });

  it('removes a subscription the push service answers 410 Gone', async () => {
    const { id } = await volunteerWithDevice('gone');
    receiver.behave(id, { status: 410 });
    expect((await sos()).status).toBe(201);
    await receiver.waitFor((p) => p.path === `/push/${id}`);
    await waitUntil(async () => (await subscriptionOf(id)) === undefined);
  });

  it('retries a failing push service with backoff on the clock, then succeeds', async () => {
    const { id } = await volunteerWithDevice('flaky');
    receiver.behave(id, { status: 503 }, { status: 201 });
    expect((await sos()).status).toBe(201);
    await receiver.waitFor((p) => p.path === `/push/${id}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received.filter((p) => p.path === `/push/${id}`)).toHaveLength(1);
    await clock.advance(1_000);
    await waitUntil(() => receiver.received.filter((p) => p.path === `/push/${id}`).length === 2);
    await waitUntil(async () => (await subscriptionOf(id))?.lastSuccessAt != null);
    expect((await subscriptionOf(id))?.failureCount).toBe(0);
  });

  it('a push service that stalls 5 s delays neither the WebSocket alert nor the other volunteers’ pushes', async () => {
    const slow = await volunteerWithDevice('slow', NEAR_LIBRARY);
    const quick = await volunteerWithDevice('quick', { lat: 42.0534, lng: -87.6728 });
    receiver.behave(slow.id, { status: 201, delayMs: 5_000 });
    const started = Date.now();
    const { incidentId } = (await sos()).body;
    await slow.v.socket.waitFor(eventOf('alert', incidentId), 2_000);
    await quick.v.socket.waitFor(eventOf('alert', incidentId), 2_000);
    await receiver.waitFor((p) => p.path === `/push/${quick.id}`, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await receiver.waitFor((p) => p.path === `/push/${slow.id}`, 2_000); // sent, not yet answered
  });

  it('stores, tests and deletes a device subscription over the API', async () => {
    const { v, device, id } = await volunteerWithDevice('tester');
    const auth = { authorization: `Bearer ${v.token}` };
    const test = await api(server.url, 'POST', '/api/volunteer/push/test', undefined, auth);
    expect(test.status).toBe(200);
    expect(test.body.devices).toEqual([expect.objectContaining({ ok: true, status: 201, removed: false })]);
    const push = await receiver.waitFor((p) => p.path === `/push/${id}`);
    expect(JSON.parse(decryptAes128gcm(push.body, device).toString())).toMatchObject({ type: 'test', url: '/responder' });

    const bad = await api(server.url, 'POST', '/api/volunteer/push/subscriptions', { endpoint: 'not a url', keys: { p256dh: 'x', auth: 'y' } }, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await api(server.url, 'POST', '/api/volunteer/push/test')).status).toBe(401);

    const endpoint = `${receiver.url}/push/${id}`;
    expect((await api(server.url, 'DELETE', '/api/volunteer/push/subscriptions', { endpoint }, auth)).status).toBe(200);
    const again = await api(server.url, 'DELETE', '/api/volunteer/push/subscriptions', { endpoint }, auth);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    expect(await subscriptionOf(id)).toBeUndefined();
  });

  async function subscriptionOf(id: string) {
    const [row] = await database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, `${receiver.url}/push/${id}`));
    return row;
  }
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
