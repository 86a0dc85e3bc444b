import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, qrSpots, users } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from '../dispatch/helpers.ts';
import { http } from './security-helpers.ts';

// test/integration/dispatch/rate-limit.test.ts holds the refill and the idempotent retry; these
// tests are about whom a limit stops: the flooding client or spot, and nobody else.
describe.each(testDrivers)('rate limits that stop a flood without blocking anyone else on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock();
  let spots: string[];
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(
      database,
      { SEED_DEMO: 'true', SOS_BURST: '3', SOS_PER_MINUTE: '1', LOGIN_FAILURE_BURST: '2', LOGIN_FAILURES_PER_MINUTE: '2', REGISTER_BURST: '3', REGISTER_PER_MINUTE: '1' },
      // No escalation timer fires when the clock moves: these incidents are only counted.
      { clock, incidents: { acceptTimeoutMs: 24 * 3_600_000 } },
    );
    const rows = await database.db.select({ code: qrSpots.code }).from(qrSpots).orderBy(qrSpots.code).limit(12);
    spots = rows.map((r) => r.code).filter((c) => c !== LIBRARY_QR);
  });
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close();
    await server.close();
    await database.close();
  });

  const sos = (from: string, qrCode: string) => http(server.url, 'POST', '/api/incidents', { from, body: { qrCode, clientRequestId: randomUUID() } });
  const incidentCount = async () => (await database.db.select({ n: count() }).from(incidents))[0]!.n;

  it('stops a flood of SOS from one client with 429 and Retry-After, while another client at another spot gets through', async () => {
    const before = await incidentCount();
    const flood = [];
    for (const qrCode of spots.slice(0, 5)) flood.push(await sos('127.0.0.21', qrCode));
    expect(flood.map((r) => r.status)).toEqual([201, 201, 201, 429, 429]);
    expect(flood[3]!.body.error.code).toBe('RATE_LIMITED');
    expect(Number(flood[3]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(await incidentCount()).toBe(before + 3); // the refused ones wrote nothing

    const other = await sos('127.0.0.22', spots[5]!);
    expect(other.status).toBe(201);
    expect(other.body.created).toBe(true);
  });

  it('limits a flood at one QR spot from many clients without blocking the other spots', async () => {
    const spot = spots[6]!;
    const statuses: number[] = [];
    // Raise and cancel, so each SOS is a new incident rather than one joining the open one.
    for (let i = 1; i <= 5; i++) {
      const res = await sos(`127.0.1.${i}`, spot);
      statuses.push(res.status);
      if (res.status === 201) {
        const cancelled = await http(server.url, 'POST', `/api/incidents/${res.body.incidentId}/cancel`, { headers: { 'x-incident-token': res.body.publicToken } });
        expect(cancelled.status).toBe(200);
      } else {
        expect(res.body.error.code).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);

    const elsewhere = await sos('127.0.1.9', spots[7]!);
    expect(elsewhere.status).toBe(201);
    // A client refused at the flooded spot is not blocked elsewhere.
    expect((await sos('127.0.1.4', spots[8]!)).status).toBe(201);
    // Refusals at the flooded spot spend none of the client's own allowance (a burst of 3 here).
    for (let i = 0; i < 3; i++) expect((await sos('127.0.1.5', spot)).status).toBe(429);
    for (const qrCode of spots.slice(9, 12)) expect((await sos('127.0.1.5', qrCode)).status).toBe(201);
  });

  it('slows password guessing from one client, even for the right password, while other clients sign in', async () => {
    const account = { email: `guessed-${randomUUID().slice(0, 8)}@example.org`, password: 'the-Right-pw-1' };
    expect((await http(server.url, 'POST', '/api/auth/register', { from: '127.0.2.1', body: { ...account, displayName: 'Guessed' } })).status).toBe(201);
    const login = (from: string, password: string, email = account.email) => http(server.url, 'POST', '/api/auth/login', { from, body: { email, password } });

    // Sign-ins that succeed cost nothing: a volunteer who signs in often is never limited.
    for (let i = 0; i < 3; i++) expect((await login('127.0.2.2', account.password)).status).toBe(200);

    const guesses = [await login('127.0.2.2', 'wrong-guess-1'), await login('127.0.2.2', 'wrong-guess', 'nobody@example.org')]; // unknown accounts count too
    expect(guesses.map((r) => r.status)).toEqual([401, 401]);
    const limited = await login('127.0.2.2', 'wrong-guess-2');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.token).toBeUndefined();
    const rightButLimited = await login('127.0.2.2', account.password);
    expect(rightButLimited.status).toBe(429);
    expect(rightButLimited.body.token).toBeUndefined();

    const elsewhere = await login('127.0.2.3', account.password);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.token).toEqual(expect.any(String));

    await clock.advance(31_000); // 2 failures a minute: one more try after 30 s
    expect((await login('127.0.2.2', account.password)).status).toBe(200);
  });

  it('stops a flood of new accounts from one address, writing none, while other addresses sign up', async () => {
    const signUp = (from: string) => {
      const email = `flood-${randomUUID().slice(0, 8)}@example.org`;
      return http(server.url, 'POST', '/api/auth/register', { from, body: { email, password: 'correct-horse-9', displayName: 'Flood' } }).then((res) => ({ res, email }));
    };
    const userCount = async () => (await database.db.select({ n: count() }).from(users))[0]!.n;
    for (let i = 0; i < 3; i++) expect((await signUp('127.0.3.1')).res.status).toBe(201);
    const before = await userCount();
    const limited = await signUp('127.0.3.1');
    expect(limited.res.status).toBe(429);
    expect(limited.res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.res.body.token).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect((await signUp('127.0.3.2')).res.status).toBe(201);
    await clock.advance(61_000); // one a minute
    expect((await signUp('127.0.3.1')).res.status).toBe(201);
  });

  it('answers a WebSocket message flood with one RATE_LIMITED frame and keeps this and every other connection', async () => {
    const flooder = await onDutyVolunteer(server.url, database, 'flooder', { lat: 42.0522, lng: -87.6741 });
    const calm = await onDutyVolunteer(server.url, database, 'calm', { lat: 42.0534, lng: -87.6728 });
    volunteers.push(flooder, calm);

    for (let i = 0; i < 200; i++) flooder.socket.send({ type: 'ping', ref: `flood-${i}` });
    await flooder.socket.waitFor((f) => f.type === 'error' && f.code === 'RATE_LIMITED');
    calm.socket.send({ type: 'ping', ref: 'calm' });
    await calm.socket.waitFor((f) => f.type === 'pong' && f.ref === 'calm');
    const pongs = flooder.socket.frames.filter((f) => f.type === 'pong').length;
    const errors = flooder.socket.frames.filter((f) => f.type === 'error');
    expect(pongs).toBeGreaterThan(0);
    expect(errors.every((f) => f.code === 'RATE_LIMITED')).toBe(true);
    // Refused messages are not answered one by one: that would amplify the flood.
    expect(pongs + errors.length).toBeLessThan(200);

    // Both sockets are alive: an SOS next to them alerts both.
    const raised = await sos('127.0.3.1', LIBRARY_QR);
    expect(raised.status).toBe(201);
    await flooder.socket.waitFor(eventOf('alert', raised.body.incidentId));
    await calm.socket.waitFor(eventOf('alert', raised.body.incidentId));
    expect(flooder.socket.ws.readyState).toBe(flooder.socket.ws.OPEN);
    await new Promise((r) => setTimeout(r, 150)); // the per-connection bucket refills in real time
    flooder.socket.send({ type: 'ping', ref: 'after' });
    await flooder.socket.waitFor((f) => f.type === 'pong' && f.ref === 'after');
  });
});
