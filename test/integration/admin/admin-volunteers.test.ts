import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../api/services/clock.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

/** 2025-06-01, 08:00 UTC: certificates below are dated relative to it. */
const NOW = new Date('2025-06-01T08:00:00Z');
const fixedClock: Clock = { now: () => NOW, setTimeout: systemClock.setTimeout };

describe.each(testDrivers)('admin volunteer routes on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let admin: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    t = await buildAdminTestApp(database, fixedClock);
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.reset();
    await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
    admin = await t.login();
  });

  it('lists a pending application with its certificate details', async () => {
    const { id } = await t.registerVolunteer('li@example.org', {
      certificateType: 'AHA BLS',
      certificateNumber: 'BLS-42',
      certificateIssuer: 'Red Cross',
      certificateExpiresOn: '2026-01-31',
    });
    const res = await t.call('GET', '/api/admin/volunteers?verification=pending', admin);
    expect(res.status).toBe(200);
    const { volunteers } = await res.json();
    expect(volunteers).toHaveLength(1);
    expect(volunteers[0]).toMatchObject({
      id,
      verification: 'pending',
      certificateNumber: 'BLS-42',
      certificateState: 'valid',
      dispatchable: false,
    });
  });

  it('verifies a volunteer, who then counts as dispatchable and may use volunteer-only routes', async () => {
    const { id, token } = await t.registerVolunteer('wang@example.org', { certificateExpiresOn: '2026-03-01' });
    const res = await t.call('POST', `/api/admin/volunteers/${id}/verify`, admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, verification: 'verified', dispatchable: true, rejectionReason: null });
    const me = await (await t.call('GET', '/api/auth/me', token)).json();
    expect(me.verification).toBe('verified');
  });

  it('records the expiry date the admin read on the certificate', async () => {
    const { id } = await t.registerVolunteer('zhao@example.org');
    const res = await t.call('POST', `/api/admin/volunteers/${id}/verify`, admin, { certificateExpiresOn: '2027-05-31' });
    expect(await res.json()).toMatchObject({ certificateExpiresOn: '2027-05-31', certificateState: 'valid' });
  });

  it('refuses to verify an expired certificate with CERTIFICATE_EXPIRED', async () => {
    const { id } = await t.registerVolunteer('old@example.org', { certificateExpiresOn: '2025-05-31' });
    const res = await t.call('POST', `/api/admin/volunteers/${id}/verify`, admin);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('CERTIFICATE_EXPIRED');
  });

  it('rejects an application with a reason, and needs the reason', async () => {
    const { id } = await t.registerVolunteer('chen@example.org');
    expect((await t.call('POST', `/api/admin/volunteers/${id}/reject`, admin, { reason: ' ' })).status).toBe(400);
    const res = await t.call('POST', `/api/admin/volunteers/${id}/reject`, admin, { reason: 'Certificate number not found' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ verification: 'rejected', rejectionReason: 'Certificate number not found', dispatchable: false });
  });

  it('answers 404 for an unknown id or an admin account, 400 for a malformed id', async () => {
    expect((await t.call('POST', '/api/admin/volunteers/00000000-0000-4000-8000-000000000000/verify', admin)).status).toBe(404);
    const me = await (await t.call('GET', '/api/auth/me', admin)).json();
    expect((await t.call('POST', `/api/admin/volunteers/${me.id}/verify`, admin)).status).toBe(404);
    expect((await t.call('POST', '/api/admin/volunteers/not-a-uuid/verify', admin)).status).toBe(400);
  });

  it('lists expired certificates (no longer alerted) and those expiring within 30 days', async () => {
    const ids: Record<string, string> = {};
    for (const [name, expires] of [['soon', '2025-06-20'], ['later', '2025-12-01'], ['gone', '2025-06-10']] as const) {
      ids[name] = (await t.registerVolunteer(`${name}@example.org`, { certificateExpiresOn: expires })).id;
      expect((await t.call('POST', `/api/admin/volunteers/${ids[name]}/verify`, admin)).status).toBe(200);
    }
    // "gone" expires after verification: move the clock past it by asking from a later date.
    const later = await buildAdminTestApp(database, { now: () => new Date('2025-06-15T08:00:00Z'), setTimeout: systemClock.setTimeout });
    const res = await later.call('GET', '/api/admin/volunteers/certificate-reminders', await later.login());
    await later.close();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.expired.map((v: { id: string }) => v.id)).toEqual([ids.gone]);
    expect(body.expired[0]).toMatchObject({ certificateState: 'expired', dispatchable: false, certificateDaysLeft: -5 });
    expect(body.expiring.map((v: { id: string }) => v.id)).toEqual([ids.soon]);
    expect(body.expiring[0]).toMatchObject({ certificateState: 'expiring', dispatchable: true, certificateDaysLeft: 5 });
  });

  it('searches by name, e-mail or certificate number', async () => {
    await t.registerVolunteer('alice@example.org', { certificateNumber: 'X-100' });
    await t.registerVolunteer('bob@example.org', { certificateNumber: 'Y-200' });
    const res = await t.call('GET', '/api/admin/volunteers?q=y-2', admin);
    const { volunteers } = await res.json();
    expect(volunteers.map((v: { email: string }) => v.email)).toEqual(['bob@example.org']);
    const wild = await (await t.call('GET', '/api/admin/volunteers?q=%25', admin)).json();
    expect(wild.volunteers).toEqual([]);
  });
});
