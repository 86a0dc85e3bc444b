import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIncidentRepository, type IncidentRepository } from '../../../api/db/incident-repository.ts';
import { REPORT_CSV_COLUMNS } from '../../../api/services/admin-reports-csv.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { ADMIN, buildAdminTestApp, type AdminTestApp } from './admin-app.ts';

const T0 = new Date('2025-05-20T10:00:00Z');
const after = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(testDrivers)('admin incident routes on %s', (driver) => {
  let database: TestDatabase;
  let t: AdminTestApp;
  let incidents: IncidentRepository;
  let admin: string;

  beforeAll(async () => {
    database = await openTestDb(driver);
    t = await buildAdminTestApp(database);
    incidents = createIncidentRepository(database.db);
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

  /**
   * An incident as the incident service logs one: SOS at T0, three volunteers alerted, Li accepts
   * at 12 s and arrives for CPR at 95 s, Wang (AED runner) accepts at 20 s and arrives at 170 s, Zhao declines.
   */
  async function seedIncident(options: { open?: boolean; locationText?: string } = {}) {
    const li = await t.registerVolunteer(`li${Math.random()}@example.org`);
    const wang = await t.registerVolunteer(`wang${Math.random()}@example.org`);
    const zhao = await t.registerVolunteer(`zhao${Math.random()}@example.org`);
    const incident = await incidents.insert({
      clientRequestId: `req-${Math.random()}`,
      publicTokenHash: 'x',
      lat: 42.0533,
      lng: -87.6731,
      level: 1,
      h3Cell: '892664da37bffff',
      // Packed as the SOS packs its QR spot: building, floor (OSM level), entrance, its Chinese text.
      locationText: options.locationText ?? 'Norris University Center\u001f1\u001fEast door\u001f东门',
      createdAt: T0,
      ...(options.open === false ? { state: 'resolved' as const, closedAt: after(600) } : {}),
    });
    const aedId = null;
    await incidents.insertDispatches([
      { incidentId: incident.id, volunteerId: li.id, role: 'cpr', status: 'arrived', etaS: 90, alertedAt: after(1), answeredAt: after(12), arrivedAt: after(95), lat: 42.0533, lng: -87.6731 },
      { incidentId: incident.id, volunteerId: wang.id, role: 'aed', aedId, status: 'arrived', etaS: 160, alertedAt: after(1), answeredAt: after(20), arrivedAt: after(170), lat: 42.0534, lng: -87.6732 },
      { incidentId: incident.id, volunteerId: zhao.id, role: 'backup', status: 'declined', etaS: 200, alertedAt: after(1), answeredAt: after(30), lat: 42.05, lng: -87.67 },
    ]);
    await incidents.appendEvents([
      { incidentId: incident.id, type: 'created', at: T0 },
      { incidentId: incident.id, type: 'planned', at: after(1), data: { wave: 1, cprEtaS: 90, aedEtaS: 160, withinBudget: { cpr: true, aed: true } } },
      ...[li, wang, zhao].map((v) => ({ incidentId: incident.id, type: 'alerted', at: after(1), actorId: v.id, data: { wave: 1 } })),
      { incidentId: incident.id, type: 'accepted', at: after(12), actorId: li.id, data: { role: 'cpr', aedId: null } },
      { incidentId: incident.id, type: 'accepted', at: after(20), actorId: wang.id, data: { role: 'aed', aedId: 'a' } },
      { incidentId: incident.id, type: 'declined', at: after(30), actorId: zhao.id, data: { role: 'backup' } },
      { incidentId: incident.id, type: 'arrived', at: after(95), actorId: li.id, data: { role: 'cpr', aedId: null } },
      { incidentId: incident.id, type: 'arrived', at: after(170), actorId: wang.id, data: { role: 'aed', aedId: 'a' } },
    ]);
    return { incident, li, wang, zhao };
  }

  it('lists open incidents with their response times so far', async () => {
    const { incident } = await seedIncident();
    await seedIncident({ open: false });
    const res = await t.call('GET', '/api/admin/incidents', admin);
    expect(res.status).toBe(200);
    const { incidents: open } = await res.json();
    expect(open.map((i: { id: string }) => i.id)).toEqual([incident.id]);
    expect(open[0]).toMatchObject({ alerted: 3, accepted: 2, arrived: 2, times: { firstAcceptS: 12, firstArrivalS: 95, aedArrivalS: 170, plannedCprEtaS: 90, plannedAedEtaS: 160 } });
    // The spot in parts, for the page to show in its reader's language.
    expect(open[0].location).toEqual({ buildingName: 'Norris University Center', floor: '1', entrance: 'East door', entranceZh: '东门' });
  });

  it("shows an incident's timeline with who was alerted, accepted and arrived, and when", async () => {
    const { incident, li, zhao } = await seedIncident();
    const detail = await (await t.call('GET', `/api/admin/incidents/${incident.id}`, admin)).json();
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['created', 'planned', 'alerted', 'alerted', 'alerted', 'accepted', 'accepted', 'declined', 'arrived', 'arrived']);
    expect(detail.timeline[5]).toMatchObject({ type: 'accepted', sinceS: 12, actorId: li.id, actorName: expect.stringMatching(/^li/) });
    const declined = detail.dispatches.find((d: { volunteerId: string }) => d.volunteerId === zhao.id);
    // Only responders who accepted are shown on the map (DESIGN.md, privacy).
    expect(declined).toMatchObject({ status: 'declined', position: null });
    expect(detail.dispatches.find((d: { volunteerId: string }) => d.volunteerId === li.id).position).toMatchObject({ lat: 42.0533 });
    expect((await t.call('GET', '/api/admin/incidents/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
  });

  it('exports after-action reports as CSV with one row per incident in the date range', async () => {
    await seedIncident({ open: false, locationText: '=HYPERLINK("x"), "quoted"\u001f-1\u001fNorth door\u001f北门' });
    const res = await t.call('GET', '/api/admin/reports.csv?from=2025-05-20&to=2025-05-20', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(REPORT_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    // The spot in columns, a building name that must not run as a spreadsheet formula, and the times.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x""), ""quoted""",-1,North door,北门,`);
    expect(lines[1]).toMatch(/,resolved,false,.*,3,2,2,12,95,170,90,160,true,true$/);
    const none = await t.call('GET', '/api/admin/reports.csv?from=2025-05-21', admin);
    expect((await none.text()).trim().split('\r\n')).toHaveLength(1);
    expect((await t.call('GET', '/api/admin/reports?from=2025-05-22&to=2025-05-21', admin)).status).toBe(400);
  });
});
