import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aeds, dispatches, incidentEvents } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { connectSocket } from '../../support/ws-client.ts';
import { api, eventOf, LIBRARY_QR, onDutyVolunteer, type TestVolunteer } from './helpers.ts';

describe.each(testDrivers)('the dispatch loop on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock(); // Monday 09:00 in Evanston: office-hours AEDs are open
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    // Many SOS from one spot and one client here: the rate limit has a test of its own.
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '1000' }, { clock, incidents: { acceptTimeoutMs: 45_000 } });
  });
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close();
    await server.close();
    await database.close();
  });
  beforeEach(async () => {
    for (const v of volunteers.splice(0)) await v.socket.close();
    await database.execute(`truncate incidents, outbox, volunteer_duty, sessions, users cascade; update aeds set claimed_by_incident_id = null, status = case when status = 'in_use' then 'in_service' else status end`);
  });

  const rowsOf = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? (r as unknown[]));

  async function sos(body: Record<string, unknown> = {}) {
    return api(server.url, 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID(), ...body });
  }

  it('alerts the right volunteers with distinct roles, and the bystander follows accept, arrival and resolve', async () => {
    const south = await onDutyVolunteer(server.url, database, 'south', { lat: 42.0522, lng: -87.6741 });
    const east = await onDutyVolunteer(server.url, database, 'east', { lat: 42.0534, lng: -87.6728 });
    const far = await onDutyVolunteer(server.url, database, 'far', { lat: 42.0700, lng: -87.6900 }); // ~2 km away
    volunteers.push(south, east, far);

    const created = await sos();
    expect(created.status).toBe(201);
    const { incidentId, publicToken } = created.body;
    const bystander = await connectSocket(server.url);
    bystander.send({ type: 'hello', auth: { kind: 'bystander', incidentId, publicToken } });
    const first = await bystander.waitFor(eventOf('status', incidentId));
    expect(first.event.view.location).toMatchObject({ entrance: 'Entrance (south-east side)', entranceZh: '入口（东南侧）' });

    const alertSouth = await south.socket.waitFor(eventOf('alert', incidentId));
    const alertEast = await east.socket.waitFor(eventOf('alert', incidentId));
    expect(new Set([alertSouth.event.role, alertEast.event.role])).toEqual(new Set(['cpr', 'aed']));
    const runner = alertSouth.event.role === 'aed' ? south : east;
    const runnerAlert = runner === south ? alertSouth : alertEast;
    expect(runnerAlert.event.aed).toMatchObject({ id: expect.any(String), lat: expect.any(Number) });
    expect(runnerAlert.event.patient).toMatchObject({ buildingName: 'Northwestern University Library', entrance: 'Entrance (south-east side)', entranceZh: '入口（东南侧）' });
    expect(far.socket.frames.some(eventOf('alert', incidentId))).toBe(false);

    expect((await api(server.url, 'POST', `/api/incidents/${incidentId}/respond`, { action: 'accept' }, { authorization: `Bearer ${runner.token}` })).status).toBe(200);
    const afterAccept = await bystander.waitFor((f) => eventOf('status', incidentId)(f) && f.event.view.accepted === 1);
    expect(afterAccept.event.view.aed.confirmed).toBe(true);
    expect(afterAccept.event.view.aed.etaS).toBeGreaterThan(0);
    expect(JSON.stringify(afterAccept.event.view)).not.toContain(runner.id); // no identity for the bystander

    runner.socket.send({ type: 'position', lat: 42.0529, lng: -87.6735 });
    const moving = await bystander.waitFor((f) => eventOf('status', incidentId)(f) && !!f.event.view.responders[0]?.position);
    expect(moving.event.view.responders[0].position).toEqual({ lat: 42.0529, lng: -87.6735 });

    expect((await api(server.url, 'POST', `/api/incidents/${incidentId}/respond`, { action: 'arrived' }, { authorization: `Bearer ${runner.token}` })).status).toBe(200);
    await bystander.waitFor((f) => eventOf('status', incidentId)(f) && f.event.view.aed.arrived === true);
    const aedId = runnerAlert.event.aed.id;
    const map = await api(server.url, 'GET', '/api/campuses/northwestern-evanston/map');
    expect(map.body.aeds.features.find((f: any) => f.properties.id === aedId).properties.status).toBe('in_use');

    expect((await api(server.url, 'POST', `/api/incidents/${incidentId}/resolve`, undefined, { authorization: `Bearer ${runner.token}` })).status).toBe(200);
    await bystander.waitFor((f) => eventOf('status', incidentId)(f) && f.event.view.state === 'resolved');
    const other = runner === south ? east : south;
    await other.socket.waitFor(eventOf('closed', incidentId));
    const view = await api(server.url, 'GET', `/api/incidents/${incidentId}`, undefined, { 'x-incident-token': publicToken });
    expect(view.body.state).toBe('resolved');
    // Closing cancels the alerts nobody answered, releases the AED and logs who closed it.
    const rows = await database.db.select().from(dispatches).where(eq(dispatches.incidentId, incidentId));
    expect(rows.find((d) => d.volunteerId === runner.id)?.status).toBe('arrived');
    expect(rows.find((d) => d.volunteerId === other.id)).toMatchObject({ status: 'cancelled', answeredAt: expect.any(Date) });
    expect(await database.db.select().from(aeds).where(eq(aeds.claimedByIncidentId, incidentId))).toEqual([]);
    const log = await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId));
    expect(log.filter((e) => e.type === 'resolved')).toEqual([expect.objectContaining({ actorId: runner.id })]);
    await bystander.close();
  });

  it('makes one incident of a retried SOS', async () => {
    const clientRequestId = randomUUID();
    const first = await sos({ clientRequestId });
    const second = await sos({ clientRequestId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.incidentId).toBe(first.body.incidentId);
    expect(second.body.publicToken).toBe(first.body.publicToken);
  });

  it('makes one incident of the same SOS sent twice at once', async () => {
    const v = await onDutyVolunteer(server.url, database, 'twice', { lat: 42.0522, lng: -87.6741 });
    volunteers.push(v);
    const clientRequestId = randomUUID();
    const answers = await Promise.all([sos({ clientRequestId }), sos({ clientRequestId })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(answers[0].body.incidentId).toBe(answers[1].body.incidentId);
    const stored = rowsOf(await database.db.execute(`select id from incidents` as never));
    expect(stored).toHaveLength(1);
    expect(rowsOf(await database.db.execute(`select id from dispatches` as never))).toHaveLength(1);
  });

  it('alerts the runner as a backup when another incident claims the AED while the SOS is written', async () => {
    // An earlier incident, closed; then a trigger that hands every free AED to it as the new incident's
    // row goes in: after the plan chose an AED, before the SOS's own claim.
    const earlier = await sos();
    await api(server.url, 'POST', `/api/incidents/${earlier.body.incidentId}/cancel`, undefined, { 'x-incident-token': earlier.body.publicToken });
    await database.execute(`
      create function test_take_aeds() returns trigger language plpgsql as $$
      begin update aeds set claimed_by_incident_id = '${earlier.body.incidentId}' where claimed_by_incident_id is null; return new; end $$;
      create trigger test_take_aeds after insert on incidents for each row execute function test_take_aeds();`);
    try {
      const south = await onDutyVolunteer(server.url, database, 'south2', { lat: 42.0522, lng: -87.6741 });
      const east = await onDutyVolunteer(server.url, database, 'east2', { lat: 42.0534, lng: -87.6728 });
      volunteers.push(south, east);
      const created = await sos();
      expect(created.status).toBe(201);
      const alerts = await Promise.all([south, east].map((v) => v.socket.waitFor(eventOf('alert', created.body.incidentId))));
      expect(new Set(alerts.map((a) => a.event.role))).toEqual(new Set(['cpr', 'backup']));
      const roles = rowsOf(await database.db.execute(`select role, aed_id from dispatches where incident_id = '${created.body.incidentId}'` as never)) as { role: string; aed_id: string | null }[];
      expect(roles.map((r) => r.role).sort()).toEqual(['backup', 'cpr']);
      expect(roles.every((r) => r.aed_id === null)).toBe(true);
      const mine = rowsOf(await database.db.execute(`select id from aeds where claimed_by_incident_id = '${created.body.incidentId}'` as never));
      expect(mine).toHaveLength(0);
    } finally {
      await database.execute(`drop trigger test_take_aeds on incidents; drop function test_take_aeds();`);
    }
  });

  /** A statement trigger on dispatches that raises `errcode` on its first `times` inserts (a sequence counts them across rollbacks). */
  async function refuseDispatches(errcode: string, times: number) {
    await database.execute(`
      create sequence test_refusals;
      create function test_refuse() returns trigger language plpgsql as $$
      begin if nextval('test_refusals') <= ${times} then raise exception 'test: dispatches refused' using errcode = '${errcode}'; end if; return null; end $$;
      create trigger test_refuse before insert on dispatches for each statement execute function test_refuse();`);
    return {
      attempts: async () => Number((rowsOf(await database.db.execute(`select last_value from test_refusals` as never)) as { last_value: string }[])[0]!.last_value),
      drop: () => database.execute(`drop trigger test_refuse on dispatches; drop function test_refuse(); drop sequence test_refusals;`),
    };
  }

  it('writes the SOS again step by step when its one-round-trip write breaks a constraint', async () => {
    const refusal = await refuseDispatches('unique_violation', 1);
    try {
      const v = await onDutyVolunteer(server.url, database, 'retried', { lat: 42.0522, lng: -87.6741 });
      volunteers.push(v);
      const created = await sos();
      expect(created.status).toBe(201);
      await v.socket.waitFor(eventOf('alert', created.body.incidentId));
      expect(await refusal.attempts()).toBe(2); // refused at once, then written step by step
      expect(rowsOf(await database.db.execute(`select id from incidents` as never))).toHaveLength(1);
      expect(rowsOf(await database.db.execute(`select volunteer_id from dispatches` as never))).toEqual([{ volunteer_id: v.id }]);
    } finally {
      await refusal.drop();
    }
  });

  it('does not write an SOS twice for a failure that is not a broken constraint', async () => {
    const refusal = await refuseDispatches('division_by_zero', 2);
    try {
      volunteers.push(await onDutyVolunteer(server.url, database, 'refused', { lat: 42.0522, lng: -87.6741 }));
      const created = await sos();
      expect(created.status).toBe(500);
      expect(await refusal.attempts()).toBe(1);
      expect(rowsOf(await database.db.execute(`select id from incidents` as never))).toHaveLength(0);
    } finally {
      await refusal.drop();
    }
  });

  it('plans from the QR spot as stored now, not as this process remembered it', async () => {
    // The process's snapshot of the spots still has the library; the spot is moved ~2 km north.
    const [spot] = rowsOf(await database.db.execute(`select lat, lng from qr_spots where code = '${LIBRARY_QR}'` as never)) as { lat: number; lng: number }[];
    await database.execute(`update qr_spots set lat = 42.0700, lng = -87.6900 where code = '${LIBRARY_QR}'`);
    try {
      const near = await onDutyVolunteer(server.url, database, 'near-old', { lat: 42.0522, lng: -87.6741 });
      const there = await onDutyVolunteer(server.url, database, 'near-new', { lat: 42.0702, lng: -87.6898 });
      volunteers.push(near, there);
      const created = await sos();
      expect(created.status).toBe(201);
      await there.socket.waitFor(eventOf('alert', created.body.incidentId));
      expect(near.socket.frames.some(eventOf('alert', created.body.incidentId))).toBe(false);
      const [incident] = rowsOf(await database.db.execute(`select lat, lng from incidents where id = '${created.body.incidentId}'` as never)) as { lat: number; lng: number }[];
      expect(incident).toEqual({ lat: 42.07, lng: -87.69 });
    } finally {
      await database.execute(`update qr_spots set lat = ${spot!.lat}, lng = ${spot!.lng} where code = '${LIBRARY_QR}'`);
    }
  });

  it('delivers an alert to a volunteer who was offline when it was sent', async () => {
    const v = await onDutyVolunteer(server.url, database, 'offline', { lat: 42.0522, lng: -87.6741 });
    await v.socket.close();
    const { body, status } = await sos();
    expect(status).toBe(201);
    expect(body.view.alerted).toBe(1);
    const again = await connectSocket(server.url);
    again.send({ type: 'hello', auth: { kind: 'volunteer', token: v.token }, lastSeq: null });
    const alert = await again.waitFor(eventOf('alert', body.incidentId));
    expect(alert.seq).toBeGreaterThan(0);
    await again.close();
  });

  it('hands the AED run on when the runner declines', async () => {
    const a = await onDutyVolunteer(server.url, database, 'a', { lat: 42.0522, lng: -87.6741 });
    const b = await onDutyVolunteer(server.url, database, 'b', { lat: 42.0534, lng: -87.6728 });
    const c = await onDutyVolunteer(server.url, database, 'c', { lat: 42.0530, lng: -87.6750 });
    volunteers.push(a, b, c);
    const { body } = await sos();
    const alerts = await Promise.all([a, b, c].map((v) => v.socket.waitFor(eventOf('alert', body.incidentId))));
    const runnerIndex = alerts.findIndex((f) => f.event.role === 'aed');
    expect(runnerIndex).toBeGreaterThanOrEqual(0);
    const runner = [a, b, c][runnerIndex]!;
    const declined = await api(server.url, 'POST', `/api/incidents/${body.incidentId}/respond`, { action: 'decline' }, { authorization: `Bearer ${runner.token}` });
    expect(declined.status).toBe(200);
    // Whoever accepts next takes the AED run the runner dropped.
    const next = [a, b, c].find((v, i) => i !== runnerIndex && alerts[i]!.event.role !== 'cpr') ?? [a, b, c].find((_, i) => i !== runnerIndex)!;
    const accepted = await api(server.url, 'POST', `/api/incidents/${body.incidentId}/respond`, { action: 'accept' }, { authorization: `Bearer ${next.token}` });
    expect(accepted.body.role).toBe('aed');
    expect(accepted.body.aedId).toEqual(expect.any(String));
  });

  it('widens the search when nobody accepts in time', async () => {
    const near = await onDutyVolunteer(server.url, database, 'near', { lat: 42.0522, lng: -87.6741 });
    const mid = await onDutyVolunteer(server.url, database, 'mid', { lat: 42.0460, lng: -87.6760 }); // ~800 m: outside the first wave
    volunteers.push(near, mid);
    const { body } = await sos();
    await near.socket.waitFor(eventOf('alert', body.incidentId));
    expect(mid.socket.frames.some(eventOf('alert', body.incidentId))).toBe(false);
    await clock.advance(46_000);
    const late = await mid.socket.waitFor(eventOf('alert', body.incidentId));
    expect(late.event.role).not.toBeUndefined();
    const log = await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, body.incidentId));
    expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'planned', 'alerted', 'escalated']));
  });

  it('never alerts an unverified volunteer or one whose certificate expired', async () => {
    const pending = await onDutyVolunteer(server.url, database, 'pending', { lat: 42.0522, lng: -87.6741 }, false);
    const expired = await onDutyVolunteer(server.url, database, 'expired', { lat: 42.0523, lng: -87.6742 });
    volunteers.push(pending, expired);
    await database.execute(`update users set certificate_expires_on = '2026-11-29' where id = '${expired.id}'`); // the fake clock is 2026-11-30
    const { body } = await sos();
    expect(body.view.alerted).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(pending.socket.frames.some(eventOf('alert'))).toBe(false);
    expect(expired.socket.frames.some(eventOf('alert'))).toBe(false);
  });

  it('releases the AED claim when the runner declines, and frees every claim when the incident closes', async () => {
    const a = await onDutyVolunteer(server.url, database, 'solo', { lat: 42.0534, lng: -87.6728 });
    volunteers.push(a);
    const { body } = await sos();
    const alert = await a.socket.waitFor(eventOf('alert', body.incidentId));
    const claimed = async () => ((await database.db.execute(`select id from aeds where claimed_by_incident_id is not null` as never)) as unknown as { rows?: unknown[] } & unknown[]);
    if (alert.event.role === 'aed') {
      expect(rowsOf(await claimed())).toHaveLength(1);
      await api(server.url, 'POST', `/api/incidents/${body.incidentId}/respond`, { action: 'decline' }, { authorization: `Bearer ${a.token}` });
      expect(rowsOf(await claimed())).toHaveLength(0);
    }
    await api(server.url, 'POST', `/api/incidents/${body.incidentId}/cancel`, undefined, { 'x-incident-token': body.publicToken });
    expect(rowsOf(await claimed())).toHaveLength(0);
  });

  it('joins a second SOS from the same spot to the open incident', async () => {
    const first = await sos();
    const second = await sos();
    expect(second.status).toBe(200);
    expect(second.body.incidentId).toBe(first.body.incidentId);
  });

  it('answers bad input with 4xx and writes nothing', async () => {
    const cases = [
      { qrCode: 'nope!!', clientRequestId: randomUUID() },
      { qrCode: LIBRARY_QR, clientRequestId: 'not-a-uuid' },
      { qrCode: 'zzzzzzzz', clientRequestId: randomUUID() },
      { qrCode: LIBRARY_QR, clientRequestId: randomUUID(), gps: { lat: 95, lng: 0 } },
    ];
    for (const c of cases) {
      const res = await api(server.url, 'POST', '/api/incidents', c);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const count = await api(server.url, 'GET', `/api/incidents/${randomUUID()}`, undefined, { 'x-incident-token': 'x'.repeat(20) });
    expect(count.status).toBe(404);
  });
});
