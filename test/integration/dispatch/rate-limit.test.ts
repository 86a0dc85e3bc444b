import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { api } from './helpers.ts';

describe('SOS rate limits', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock();
  let spots: string[];

  beforeAll(async () => {
    database = await openTestDb('pglite');
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '3', SOS_PER_MINUTE: '1' }, { clock });
    const rows = (await database.db.execute(`select code from qr_spots order by code limit 6` as never)) as unknown as { rows: { code: string }[] };
    spots = rows.rows.map((r) => r.code);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('stops a flood from one client with 429 and Retry-After, and lets it go on after the refill', async () => {
    const statuses = [];
    for (const qrCode of spots.slice(0, 4)) statuses.push((await api(server.url, 'POST', '/api/incidents', { qrCode, clientRequestId: randomUUID() })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const res = await fetch(`${server.url}/api/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qrCode: spots[4], clientRequestId: randomUUID() }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
    await clock.advance(61_000);
    expect((await api(server.url, 'POST', '/api/incidents', { qrCode: spots[5], clientRequestId: randomUUID() })).status).toBe(201);
  });

  it('answers a retry of an SOS that was already raised even while the client is limited', async () => {
    const clientRequestId = randomUUID();
    await clock.advance(10 * 60_000);
    const first = await api(server.url, 'POST', '/api/incidents', { qrCode: spots[0], clientRequestId });
    for (let i = 0; i < 5; i++) await api(server.url, 'POST', '/api/incidents', { qrCode: spots[1], clientRequestId: randomUUID() });
    const retry = await api(server.url, 'POST', '/api/incidents', { qrCode: spots[0], clientRequestId });
    expect(retry.status).toBe(200);
    expect(retry.body.incidentId).toBe(first.body.incidentId);
  });
});
