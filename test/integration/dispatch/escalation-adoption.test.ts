import { randomUUID } from 'node:crypto';
import { eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidentEvents, qrSpots } from '../../../api/db/schema/index.ts';
import type { PreparedApp } from '../../../api/server.ts';
import { createTestApp } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { LIBRARY_QR } from './helpers.ts';

// Escalation timers live in the process that raised the incident. When it dies, the others adopt its
// open incidents, and the wave guard lets exactly one of them widen each wave.
describe.each(testDrivers)('escalation of an incident whose process died, on %s', (driver) => {
  let database: TestDatabase;
  const clock = createFakeClock();
  const apps: PreparedApp[] = [];

  beforeAll(async () => {
    database = await openTestDb(driver);
    apps.push(await createTestApp(database, { SEED_DEMO: 'true' }, { clock }));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.close();
  });

  const escalations = async (incidentId: string) =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId))).filter((e) => e.type === 'escalated');

  it('is escalated once by the survivors after its own timer would have fired', async () => {
    const [raiser] = apps;
    const res = await raiser!.app.request('/api/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qrCode: LIBRARY_QR, clientRequestId: randomUUID() }),
    });
    expect(res.status).toBe(201);
    const { incidentId } = (await res.json()) as { incidentId: string };
    raiser!.services.incidents.stop(); // its timers die with it, as under kill -9

    const survivors = [await createTestApp(database, {}, { clock }), await createTestApp(database, {}, { clock })];
    apps.push(...survivors);
    // Each survivor swept on start; sweeping again (as they do every 30 s) adopts nothing new.
    for (const s of survivors) expect(await s.services.incidents.sweepOrphans()).toBe(0);

    await clock.advance(44_000);
    expect(await escalations(incidentId)).toHaveLength(0); // not before the owner's own timeout
    await clock.advance(15_000);
    await vi.waitFor(async () => expect(await escalations(incidentId)).toHaveLength(1), { timeout: 5_000 });
    expect((await escalations(incidentId))[0]!.data).toMatchObject({ wave: 2 });

    // The next wave is timed by whichever survivor escalated; a sweep does not double it.
    for (const s of survivors) await s.services.incidents.sweepOrphans();
    await clock.advance(60_000);
    await vi.waitFor(async () => expect(await escalations(incidentId)).toHaveLength(2), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 300)); // a double escalation would land by now
    expect((await escalations(incidentId)).map((e) => (e.data as { wave: number }).wave)).toEqual([2, 3]);
  });

  it('adopts an incident once when two sweeps of one process overlap (the start-up one is not awaited)', async () => {
    const app = await createTestApp(database, {}, { clock });
    apps.push(app);
    // Another spot than the first test's incident, which is still open (an SOS there would join it).
    const [other] = (await database.db.select({ code: qrSpots.code }).from(qrSpots).where(ne(qrSpots.code, LIBRARY_QR)).limit(1)) as { code: string }[];
    const res = await app.app.request('/api/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qrCode: other!.code, clientRequestId: randomUUID() }),
    });
    expect(res.status).toBe(201);
    app.services.incidents.stop(); // no timer watches the new incident here now
    const { sweepOrphans } = app.services.incidents;
    // The first adopts it (and the first test's incident, open still); the second finds both adopted.
    const [first, second] = await Promise.all([sweepOrphans(), sweepOrphans()]);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(second).toBe(0);
    app.services.incidents.stop();
  });
});
