import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../../api/db/client.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';
import { api, eventOf, LIBRARY_QR, onDutyVolunteer } from './helpers.ts';

// Two API processes behind a load balancer share one PostgreSQL; LISTEN/NOTIFY carries the alert
// from the process that took the SOS to the one the volunteer is connected to.
describe.skipIf(!process.env.TEST_DATABASE_URL)('two API processes sharing PostgreSQL', () => {
  let database: TestDatabase;
  let second: Database;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    database = await openTestDb('postgres');
    second = await createDb({ kind: 'postgres', url: database.url!, maxConnections: 5 });
    a = await startTestServer(database, { SEED_DEMO: 'true' });
    b = await startTestServer(second);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await second?.close();
    await database?.close();
  });

  it('alerts a volunteer connected to process B for an SOS posted to process A', async () => {
    const volunteer = await onDutyVolunteer(b.url, database, 'on-b', { lat: 42.0522, lng: -87.6741 });
    // B writes positions to the database in batches; A plans from the database.
    for (let i = 0; i < 100; i++) {
      const rows = (await database.db.execute(`select lat from volunteer_duty where lat is not null` as never)) as unknown as unknown[];
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sos = await api(a.url, 'POST', '/api/incidents', { qrCode: LIBRARY_QR, clientRequestId: randomUUID() });
    expect(sos.status).toBe(201);
    const alert = await volunteer.socket.waitFor(eventOf('alert', sos.body.incidentId));
    expect(['cpr', 'aed']).toContain(alert.event.role);
    // The answer may go to either process; the bystander on A sees it.
    const accepted = await api(b.url, 'POST', `/api/incidents/${sos.body.incidentId}/respond`, { action: 'accept' }, { authorization: `Bearer ${volunteer.token}` });
    expect(accepted.status).toBe(200);
    const view = await api(a.url, 'GET', `/api/incidents/${sos.body.incidentId}`, undefined, { 'x-incident-token': sos.body.publicToken });
    expect(view.body.accepted).toBe(1);
    await volunteer.socket.close();
  });
});

if (!process.env.TEST_DATABASE_URL) console.warn('[tests] two-process suite SKIPPED: it needs PostgreSQL (TEST_DATABASE_URL).');
