import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from '../dispatch/helpers.ts';
import { dispatchStatus, http } from './security-helpers.ts';

const NEAR_LIBRARY = { lat: 42.0522, lng: -87.6741 };

// An open socket whose session is logged out elsewhere (another tab, a lost phone signed out from a
// laptop) must stop receiving the volunteer's alerts without waiting for it to send something.
describe.each(testDrivers)('sockets of lapsed sessions on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '100' }, { sessionSweepMs: 100, incidents: { acceptTimeoutMs: 24 * 3_600_000 } });
  });
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close();
    await server.close();
    await database.close();
  });

  const sos = async () => {
    const res = await http(server.url, 'POST', '/api/incidents', { body: { qrCode: LIBRARY_QR, clientRequestId: randomUUID() } });
    expect(res.status).toBe(201);
    return res.body as { incidentId: string; publicToken: string };
  };
  const cancel = (incident: { incidentId: string; publicToken: string }) =>
    http(server.url, 'POST', `/api/incidents/${incident.incidentId}/cancel`, { headers: { 'x-incident-token': incident.publicToken } });

  it("closes a socket whose session was logged out elsewhere, leaving the user's other sessions and other users alone", async () => {
    const v = await onDutyVolunteer(server.url, database, 'two-devices', NEAR_LIBRARY);
    const other = await onDutyVolunteer(server.url, database, 'bystanding-colleague', NEAR_LIBRARY);
    volunteers.push(v, other);
    const me = await http(server.url, 'GET', '/api/auth/me', { token: v.token });
    expect(me.status).toBe(200);
    const email = me.body.email as string;
    const second = await http(server.url, 'POST', '/api/auth/login', { body: { email, password: 'volunteer-pw-1' } });
    expect(second.status).toBe(200);

    const first = await sos();
    await v.socket.waitFor(eventOf('alert', first.incidentId));
    const closed = new Promise<number>((resolve) => v.socket.ws.once('close', (code) => resolve(code)));
    // Signed out from the other device: this socket sends nothing, yet is told and closed.
    expect((await http(server.url, 'POST', '/api/auth/logout', { token: v.token })).status).toBe(200);
    expect(await v.socket.waitFor((f) => f.type === 'error' && f.code === 'UNAUTHORIZED', 5_000)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await closed).toBe(4401);
    await cancel(first);

    // Still signed in on the second device, so still on duty and planned; the colleague's socket was left open.
    const next = await sos();
    await other.socket.waitFor(eventOf('alert', next.incidentId));
    expect(await dispatchStatus(database, next.incidentId, v.id)).toBe('alerted');
    expect(other.socket.ws.readyState).toBe(other.socket.ws.OPEN);
    expect((await http(server.url, 'GET', '/api/auth/me', { token: second.body.token })).status).toBe(200);
    await cancel(next);
  });

  it('finds sessions revoked or expired since the last look, and no others', async () => {
    const repo = createUserRepository(database.db);
    const user = await http(server.url, 'POST', '/api/auth/register', { body: { email: `s-${randomUUID().slice(0, 8)}@example.org`, password: 'volunteer-pw-1', displayName: 'S' } });
    const userId = user.body.user.id as string;
    const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
    await repo.insertSession('h-expires-in-window', userId, t(30));
    await repo.insertSession('h-expires-later', userId, t(90));
    await repo.insertSession('h-revoked-before', userId, t(600));
    await repo.insertSession('h-revoked-in-window', userId, t(600));
    await repo.revokeSession('h-revoked-before', t(5));
    await repo.revokeSession('h-revoked-in-window', t(20));
    const lapsed = await repo.lapsedSessionHashes(t(10), t(60));
    expect(lapsed.filter((h) => h.startsWith('h-')).sort()).toEqual(['h-expires-in-window', 'h-revoked-in-window']);
  });
});
