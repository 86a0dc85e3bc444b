import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import { dispatches, incidentEvents, incidents } from '../../../api/db/schema/index.ts';
import { startAppProcess, type AppProcess } from '../../support/app-process.ts';
import { hasChromium, launchChromium } from '../../support/browser.ts';
import { screenshotPath } from '../../support/screenshots.ts';
import { phoneContext } from '../../e2e/e2e-helpers.ts';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.ts';
import { connectSocket } from '../../support/ws-client.ts';
import { api, eventOf, onDutyVolunteer, positionStored, type TestVolunteer } from '../dispatch/helpers.ts';

// Real API processes on a PostgreSQL server of this test's own, stopped and started mid-operation:
// SOS while it is down still alert from memory and are stored once it is back (also after a crash of
// the process that held them), answers given before are kept, and the bus between processes recovers.
const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`[tests] database-restart fault suite SKIPPED: ${unavailable}`);

const SPOTS = { first: '2eevwqfr', whileDownA: 'yuwpgyum', whileDownB: 'xntzequs', after: '5y8x8y7q', page: 'vch9k9fg' };
const NEAR = { lat: 42.0522, lng: -87.6741 };

describe.skipIf(!!unavailable)('PostgreSQL stopped and started under running API processes', { timeout: 240_000 }, () => {
  let pg: PrivatePostgres;
  let db: Database;
  let a: AppProcess;
  let b: AppProcess;
  let dirB: string;
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    dirB = await mkdtemp(path.join(os.tmpdir(), 'aed-b-'));
    a = await startAppProcess({ DATABASE_URL: pg.url, SEED_DEMO: 'true', LOG_LEVEL: 'info' });
    b = await startAppProcess({ DATABASE_URL: pg.url, DATA_DIR: dirB, LOG_LEVEL: 'info' });
    db = await createDb({ kind: 'postgres', url: pg.url, maxConnections: 2 });
  }, 180_000);
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close().catch(() => {});
    await a?.stop();
    await b?.stop();
    await db?.close();
    await pg?.destroy();
    await rm(dirB, { recursive: true, force: true });
  });

  const sos = (base: string, qrCode: string) => api(base, 'POST', '/api/incidents', { qrCode, clientRequestId: randomUUID() });
  const stored = async (id: string) => (await db.db.select().from(incidents).where(eq(incidents.id, id)))[0];

  it('alerts from memory while the database is down, stores it afterwards, and loses nothing acknowledged', async () => {
    const onA = await onDutyVolunteer(a.url, db, 'on-a', NEAR);
    const onB = await onDutyVolunteer(b.url, db, 'on-b', { lat: 42.0523, lng: -87.6742 });
    volunteers.push(onA, onB);
    await positionStored(db, onB.id); // A plans from the database

    // Before: an SOS, and an accept the API acknowledged.
    const first = await sos(a.url, SPOTS.first);
    expect(first.status).toBe(201);
    await onA.socket.waitFor(eventOf('alert', first.body.incidentId));
    await onB.socket.waitFor(eventOf('alert', first.body.incidentId));
    const accepted = await api(a.url, 'POST', `/api/incidents/${first.body.incidentId}/respond`, { action: 'accept' }, { authorization: `Bearer ${onA.token}` });
    expect(accepted.status).toBe(200);

    await pg.stop();

    // Down: process A takes an SOS and alerts the volunteer connected to it, unsequenced.
    const t0 = performance.now();
    const down = await sos(a.url, SPOTS.whileDownA);
    expect(down.status).toBe(201);
    const answeredMs = performance.now() - t0;
    expect(answeredMs).toBeLessThan(6_000);
    const unsaved = await onA.socket.waitFor(eventOf('alert', down.body.incidentId));
    console.log(`[faults] SOS with the database down: answered in ${Math.round(answeredMs)} ms, alert from memory after ${Math.round(performance.now() - t0)} ms`);
    expect(unsaved.seq).toBeNull();
    expect(unsaved.event.patient.buildingName).toBe('Theater and Interpretation Center');
    const view = await api(a.url, 'GET', `/api/incidents/${down.body.incidentId}`, undefined, { 'x-incident-token': down.body.publicToken });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'open' });
    expect((await api(a.url, 'GET', '/api/health')).status).toBe(503);
    // Other calls say clearly that it is temporary.
    const duty = await api(a.url, 'GET', '/api/volunteer/duty', undefined, { authorization: `Bearer ${onA.token}` });
    expect(duty.status).toBe(503);
    expect(duty.body.error.code).toBe('DATABASE_UNAVAILABLE');

    // Down: the bystander page still loads, keeps "call 120" in reach and gets its SOS through.
    if (hasChromium) await bystanderWhileDown(a, SPOTS.page);
    else console.warn('[tests] the bystander-page step of the database-restart suite SKIPPED: Chromium is not installed');

    // Down: process B takes an SOS too, then dies before the database is back.
    const downB = await sos(b.url, SPOTS.whileDownB);
    expect(downB.status).toBe(201);
    expect((await onB.socket.waitFor(eventOf('alert', downB.body.incidentId))).seq).toBeNull();
    process.kill(-b.child.pid!, 'SIGKILL');
    await new Promise((resolve) => b.child.once('exit', resolve));

    await pg.start();
    const backAt = performance.now();

    // Back: A stores its SOS by itself, with a log entry saying so, and sends the alert again, sequenced.
    await vi.waitFor(async () => expect(await stored(down.body.incidentId)).toBeDefined(), { timeout: 30_000, interval: 100 });
    console.log(`[faults] the SOS raised without the database was stored ${Math.round(performance.now() - backAt)} ms after PostgreSQL accepted connections again`);
    const log = await db.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, down.body.incidentId));
    expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'planned', 'alerted', 'recorded_late']));
    const sequenced = await onA.socket.waitFor((f) => eventOf('alert', down.body.incidentId)(f) && typeof f.seq === 'number', 30_000);
    expect(sequenced.event.incidentId).toBe(down.body.incidentId);
    await vi.waitFor(async () => expect((await api(a.url, 'GET', '/api/health')).status).toBe(200), { timeout: 15_000 });

    // The acknowledged accept survived the restart.
    const [mine] = await db.db.select().from(dispatches).where(eq(dispatches.incidentId, first.body.incidentId)).then((rows) => rows.filter((d) => d.volunteerId === onA.id));
    expect(mine?.status).toBe('accepted');

    // B restarts on the same data folder: the SOS it held is stored from its journal, and its
    // volunteer, reconnecting, gets the alert from the backlog.
    b = await startAppProcess({ DATABASE_URL: pg.url, DATA_DIR: dirB, LOG_LEVEL: 'info' });
    await vi.waitFor(async () => expect(await stored(downB.body.incidentId)).toBeDefined(), { timeout: 30_000, interval: 250 });
    const again = await connectSocket(b.url);
    again.send({ type: 'hello', auth: { kind: 'volunteer', token: onB.token }, lastSeq: null });
    await again.waitFor((f) => eventOf('alert', downB.body.incidentId)(f) && typeof f.seq === 'number');
    await again.close();

    // The bus recovered: an SOS on B alerts a volunteer connected to A (A's LISTEN was cut by the restart).
    const late = await onDutyVolunteer(a.url, db, 'late-on-a', { lat: 42.0521, lng: -87.6750 });
    volunteers.push(late);
    await positionStored(db, late.id);
    const after = await sos(b.url, SPOTS.after);
    expect(after.status).toBe(201);
    await late.socket.waitFor(eventOf('alert', after.body.incidentId), 15_000);
    expect(a.output()).toMatch(/realtime bus (subscription went deaf|caught up)/);
  });
});

/** The bystander page on a phone while the database is down: call 120 at every step, and the SOS goes out from memory. */
async function bystanderWhileDown(app: AppProcess, code: string) {
  const browser = await launchChromium();
  try {
    const context = await phoneContext(browser, app, { width: 360, height: 720 });
    const page = await context.newPage();
    await page.goto(`${app.url}/e/${code}`);
    const call = page.getByRole('link', { name: '拨打 120' });
    await call.waitFor();
    expect(await call.getAttribute('href')).toBe('tel:120');
    await page.getByRole('button', { name: /SOS/ }).click();
    await page.getByTestId('incident-status').waitFor({ timeout: 15_000 });
    await page.getByText('求救已发出').waitFor();
    expect(await call.isVisible()).toBe(true);
    await page.screenshot({ path: await screenshotPath('bystander-database-down.png'), fullPage: true });
    await context.close();
  } finally {
    await browser.close();
  }
}
