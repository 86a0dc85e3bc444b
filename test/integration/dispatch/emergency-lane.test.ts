import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';
import { api, eventOf, LIBRARY_QR, onDutyVolunteer } from './helpers.ts';

// The SOS path has connections of its own (Database.urgent): an admin's slow report or a large batch
// of positions on the shared pool must not hold up an SOS or its alerts.
describe.skipIf(!process.env.TEST_DATABASE_URL)('the SOS lane on PostgreSQL', () => {
  let test: TestDatabase;
  let database: Database;
  let server: RunningServer;

  beforeAll(async () => {
    test = await openTestDb('postgres');
    // One shared connection, so one slow statement occupies the whole shared pool.
    database = await createDb({ kind: 'postgres', url: test.url!, maxConnections: 1, urgentConnections: 2 });
    server = await startTestServer(database, { SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    await test?.close();
  });

  it('raises an SOS and alerts while every shared connection is busy', async () => {
    const volunteer = await onDutyVolunteer(server.url, database, 'lane', { lat: 42.0522, lng: -87.6741 });
    const busyFor = 4_000;
    // drizzle's queries start when awaited or then'd: Promise.resolve sends it now.
    const slow = Promise.resolve(database.db.execute(sql`select pg_sleep(${busyFor / 1000})`));
    // The slow statement is running before the SOS goes out.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const sos = await api(server.url, 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID() });
    expect(sos.status).toBe(201);
    const alert = await volunteer.socket.waitFor(eventOf('alert', sos.body.incidentId));
    const tookMs = performance.now() - t0;
    expect(['cpr', 'aed']).toContain(alert.event.role);
    // Over the shared pool it would have waited for the slow statement (about 3.7 s more).
    expect(tookMs).toBeLessThan(busyFor / 2);
    await slow;
    await volunteer.socket.close();
  });

  it('names the lane in pg_stat_activity, apart from the shared pool', async () => {
    const rows = (await database.db.execute(
      sql`select application_name as name, count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'campus-aed-api%' group by 1 order by 1`,
    )) as unknown as { name: string; n: number }[];
    const byName = Object.fromEntries(rows.map((r) => [r.name, r.n]));
    expect(byName['campus-aed-api-sos']).toBeGreaterThanOrEqual(1);
    expect(byName['campus-aed-api-sos']).toBeLessThanOrEqual(2);
    expect(byName['campus-aed-api']).toBeGreaterThanOrEqual(1);
  });
});

if (!process.env.TEST_DATABASE_URL) console.warn('[tests] SOS lane suite SKIPPED: it needs PostgreSQL (TEST_DATABASE_URL).');
