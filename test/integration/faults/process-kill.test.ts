import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createDb, type Database } from '../../../api/db/client.ts';
import { incidentEvents } from '../../../api/db/schema/index.ts';
import { startAppProcess, type AppProcess } from '../../support/app-process.ts';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.ts';
import { connectSocket } from '../../support/ws-client.ts';
import { api, eventOf, onDutyVolunteer, positionStored, type TestVolunteer } from '../dispatch/helpers.ts';

// Two real API processes behind a (simulated) load balancer; one is killed with SIGKILL mid-incident.
// Its volunteers reconnect to the survivor and get every open alert, and its incidents keep escalating.
const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`[tests] process-kill fault suite SKIPPED: ${unavailable}`);

describe.skipIf(!!unavailable)('kill -9 of one of two API processes during an incident', { timeout: 240_000 }, () => {
  let pg: PrivatePostgres;
  let db: Database;
  let a: AppProcess;
  let b: AppProcess;
  const volunteers: TestVolunteer[] = [];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const env = { DATABASE_URL: pg.url, ACCEPT_TIMEOUT_S: '3', LOG_LEVEL: 'info' };
    a = await startAppProcess({ ...env, SEED_DEMO: 'true' });
    b = await startAppProcess(env);
    db = await createDb({ kind: 'postgres', url: pg.url, maxConnections: 2 });
  }, 180_000);
  afterAll(async () => {
    for (const v of volunteers) await v.socket.close().catch(() => {});
    await a?.stop();
    await b?.stop();
    await db?.close();
    await pg?.destroy();
  });


  it('moves the dead process’s volunteers to the survivor with every open alert, and escalation carries on', async () => {
    const onA = await onDutyVolunteer(a.url, db, 'on-a', { lat: 42.0522, lng: -87.6741 });
    const onB = await onDutyVolunteer(b.url, db, 'on-b', { lat: 42.0523, lng: -87.6742 });
    volunteers.push(onA, onB);
    await positionStored(db, onA.id);
    await positionStored(db, onB.id);

    const first = await api(a.url, 'POST', '/api/incidents', { qrCode: '2eevwqfr', clientRequestId: randomUUID() });
    expect(first.status).toBe(201);
    const firstAlert = await onA.socket.waitFor(eventOf('alert', first.body.incidentId));
    await onB.socket.waitFor(eventOf('alert', first.body.incidentId));

    process.kill(-a.child.pid!, 'SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    await vi.waitFor(() => expect(onA.socket.ws.readyState).toBe(WebSocket.CLOSED), { timeout: 10_000 });

    // While A's volunteer is between connections, another SOS comes in on B.
    const second = await api(b.url, 'POST', '/api/incidents', { qrCode: 'yuwpgyum', clientRequestId: randomUUID() });
    expect(second.status).toBe(201);

    // The device reconnects (through the load balancer, to B) and resumes from the last seq it saw.
    const resumed = await connectSocket(b.url);
    resumed.send({ type: 'hello', auth: { kind: 'volunteer', token: onA.token }, lastSeq: firstAlert.seq });
    const missed = await resumed.waitFor(eventOf('alert', second.body.incidentId));
    expect(missed.seq).toBeGreaterThan(firstAlert.seq);
    expect(resumed.frames.some(eventOf('alert', first.body.incidentId))).toBe(false); // already had it

    // A second device of the same volunteer, with nothing stored, gets both open alerts.
    const fresh = await connectSocket(b.url);
    fresh.send({ type: 'hello', auth: { kind: 'volunteer', token: onA.token }, lastSeq: null });
    await fresh.waitFor(eventOf('alert', first.body.incidentId));
    await fresh.waitFor(eventOf('alert', second.body.incidentId));

    // Nobody accepted the first incident: B adopts A's escalation timer and widens the search.
    await vi.waitFor(
      async () => {
        const log = await db.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, first.body.incidentId));
        expect(log.map((e) => e.type)).toContain('escalated');
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(b.output()).toMatch(/escalation adopted open incidents/);
    await resumed.close();
    await fresh.close();
  });
});
