import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampusRepository } from '../../../api/db/campus-repository.ts';
import { createIncidentRepository } from '../../../api/db/incident-repository.ts';
import { users, volunteerDuty } from '../../../api/db/schema/index.ts';
import { distanceM } from '../../../api/domain/geo.ts';
import { adminDrillRoutes } from '../../../api/routes/admin-drills.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from '../admin/admin-app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { createDrillStack } from './stack.ts';

const LIBRARY_QR = 'b3jyvkxm'; // Northwestern University Library, south-east entrance (demo campus)
// Everyone accepts after 10 s and moves at 4 m/s: a short, predictable drill.
const QUICK = { tickMs: 5_000, radiusM: 250, closeAfterMs: 10_000, params: { acceptProbability: 1, acceptDelayMedianS: 10, acceptDelaySigma: 0, speedMedianMps: 4, speedSigma: 0 } };

describe.each(testDrivers)('the live drill on %s', (driver) => {
  let database: TestDatabase;
  const clock = createFakeClock(); // Monday 09:00 in Evanston: office-hours AEDs are open
  let stack: Awaited<ReturnType<typeof createDrillStack>>;

  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await stack?.close();
    await database.execute(`truncate incidents, outbox, volunteer_duty, sessions, users cascade; update aeds set claimed_by_incident_id = null, status = case when status = 'in_use' then 'in_service' else status end`);
  });

  /** Advances the fake clock tick by tick, letting each tick's work finish. */
  async function runFor(ms: number) {
    for (let t = 0; t < ms; t += 5_000) {
      await clock.advance(5_000);
      await stack.drills.idle();
    }
  }

  it('raises a drill incident that simulated volunteers accept, walk to and reach, then resolves it', async () => {
    stack = await createDrillStack(database, clock, QUICK);
    const started = await stack.drills.start({ qrCode: LIBRARY_QR, volunteers: 4, seed: 7 });
    const repo = createIncidentRepository(database.db);
    const incident = await repo.findById(started.incidentId);
    expect(incident).toMatchObject({ isDrill: true, state: 'open' });
    const accounts = await database.db.select().from(users).where(like(users.email, 'drill-volunteer-%'));
    expect(accounts.map((u) => u.displayName).sort()).toEqual([1, 2, 3, 4].map((n) => `演练志愿者 Drill volunteer ${n}`));
    expect(accounts.every((u) => u.role === 'volunteer' && u.verification === 'verified')).toBe(true);
    for (const v of started.volunteers) expect(distanceM(incident!, v)).toBeLessThan(400);
    expect((await repo.listDispatches(started.incidentId)).length).toBeGreaterThanOrEqual(2);

    await runFor(20_000);
    const moving = (await repo.listDispatches(started.incidentId)).filter((d) => d.status === 'accepted');
    expect(moving.length).toBeGreaterThanOrEqual(2);
    expect(moving.every((d) => d.lat !== null && d.positionAt !== null)).toBe(true);

    await runFor(6 * 60_000);
    const report = await started.finished;
    expect(report.outcome).toBe('completed');
    const dispatches = await repo.listDispatches(started.incidentId);
    expect(dispatches.some((d) => d.role === 'aed' && d.status === 'arrived')).toBe(true);
    expect(dispatches.some((d) => d.role === 'cpr' && d.status === 'arrived')).toBe(true);
    const types = (await repo.listEvents(started.incidentId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['created', 'accepted', 'arrived', 'resolved']));
    expect((await repo.findById(started.incidentId))!.state).toBe('resolved');
    const duty = await database.db.select().from(volunteerDuty).where(eq(volunteerDuty.onDuty, true));
    expect(duty).toHaveLength(0);
  });

  it('alerts its simulated volunteers only, and a real SOS during the drill alerts real volunteers only', async () => {
    stack = await createDrillStack(database, clock, { ...QUICK, params: { ...QUICK.params, acceptDelayMedianS: 120 } });
    const campuses = createCampusRepository(database.db);
    const library = (await campuses.findQrSpotByCode(LIBRARY_QR))!;
    // A real, verified volunteer on duty at the library's door: as near as any simulated one.
    const [real] = await database.db
      .insert(users)
      .values({ email: 'li.na@example.org', passwordHash: 'x', displayName: '李娜', verification: 'verified', certificateExpiresOn: '2030-01-01' })
      .returning();
    await stack.volunteerService.setDuty(real!.id, true);
    await stack.volunteerService.updatePosition(real!.id, { lat: library.lat, lng: library.lng, accuracyM: 5 });
    await stack.volunteerService.flush();

    const started = await stack.drills.start({ qrCode: LIBRARY_QR, volunteers: 3, seed: 3 });
    const repo = createIncidentRepository(database.db);
    const drillAlerts = await repo.listDispatches(started.incidentId);
    const simulated = new Set(started.volunteers.map((v) => v.userId));
    expect(drillAlerts.length).toBeGreaterThan(0);
    expect(drillAlerts.every((d) => simulated.has(d.volunteerId))).toBe(true);

    const spots = await campuses.listQrSpots();
    const nearby = spots.filter((s) => s.code !== LIBRARY_QR && s.active).sort((a, b) => distanceM(library, a) - distanceM(library, b))[0]!;
    const sos = await stack.incidentService.create({ qrCode: nearby.code, clientRequestId: randomUUID(), clientKey: 'bystander' });
    expect(sos.incident.isDrill).toBe(false);
    expect((await repo.listDispatches(sos.incident.id)).map((d) => d.volunteerId)).toEqual([real!.id]);

    // Escalation waves keep to the same side: the drill's next waves alert no real volunteer.
    await runFor(100_000);
    expect((await repo.listDispatches(started.incidentId)).every((d) => simulated.has(d.volunteerId))).toBe(true);
  });

  it("refuses to adopt a person's account that holds a drill volunteer's address", async () => {
    stack = await createDrillStack(database, clock, QUICK);
    const [person] = await database.db.insert(users).values({ email: 'drill-volunteer-1@drill.invalid', passwordHash: 'scrypt$their-own', displayName: 'Someone' }).returning();
    await expect(stack.drills.start({ qrCode: LIBRARY_QR, volunteers: 2, seed: 1 })).rejects.toMatchObject({ code: 'DRILL_ACCOUNT_TAKEN' });
    const [after] = await database.db.select().from(users).where(eq(users.id, person!.id));
    expect(after).toMatchObject({ verification: 'pending', isDrill: false, displayName: 'Someone' });
  });

  describe('POST /api/admin/drills', () => {
    let t: AdminTestApp;
    let routeStack: Awaited<ReturnType<typeof createDrillStack>>;
    beforeAll(async () => {
      routeStack = await createDrillStack(database, clock, QUICK);
      t = await buildAdminTestApp(database, clock);
      t.app.route('/api', adminDrillRoutes({ auth: t.auth, drills: routeStack.drills }));
    });
    afterAll(async () => {
      await routeStack.close();
      await t.close();
    });

    it('lets only admins start a drill, returns the bystander token, and runs one drill at a time', async () => {
      await t.auth.ensureAdmin(ADMIN.email, ADMIN.password);
      expect((await t.call('POST', '/api/admin/drills', undefined, {})).status).toBe(401);
      const volunteer = await t.registerVolunteer(`v-${randomUUID().slice(0, 8)}@example.org`);
      expect((await t.call('POST', '/api/admin/drills', volunteer.token, {})).status).toBe(403);
      const admin = await t.login();
      expect((await t.call('POST', '/api/admin/drills', admin, { volunteers: 50 })).status).toBe(400);

      const res = await t.call('POST', '/api/admin/drills', admin, { qrCode: LIBRARY_QR, volunteers: 2 });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toEqual({ incidentId: expect.any(String), publicToken: expect.any(String), qrCode: LIBRARY_QR });
      const view = await t.app.request(`/api/incidents/${body.incidentId}`, { headers: { 'x-incident-token': body.publicToken } });
      expect(view.status).toBe(200);
      expect((await view.json()).isDrill).toBe(true);

      const again = await t.call('POST', '/api/admin/drills', admin);
      expect(again.status).toBe(429);
      expect((await again.json()).error.code).toBe('RATE_LIMITED');
    });
  });
});
