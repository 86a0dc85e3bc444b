import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrSpots } from '../../../api/db/schema/index.ts';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { http } from './security-helpers.ts';

// Behind a reverse proxy every request comes from the proxy: without TRUSTED_PROXIES every bystander
// on campus would share one SOS allowance. (Which database holds the incidents does not matter here.)
describe('rate limits behind a trusted reverse proxy', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let spots: string[];
  const PROXY = '127.0.0.9';

  beforeAll(async () => {
    database = await openTestDb('pglite');
    server = await startTestServer(
      database,
      { SEED_DEMO: 'true', SOS_BURST: '2', SOS_PER_MINUTE: '1', TRUSTED_PROXIES: `${PROXY}, 10.0.0.0/8` },
      { clock: createFakeClock(), incidents: { acceptTimeoutMs: 24 * 3_600_000 } },
    );
    spots = (await database.db.select({ code: qrSpots.code }).from(qrSpots).orderBy(qrSpots.code).limit(12)).map((r) => r.code);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const sos = (from: string, qrCode: string, forwardedFor?: string) =>
    http(server.url, 'POST', '/api/incidents', { from, body: { qrCode, clientRequestId: randomUUID() }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

  it('limits each client the proxy names, not the proxy', async () => {
    const first = [await sos(PROXY, spots[0]!, '203.0.113.1'), await sos(PROXY, spots[1]!, '203.0.113.1'), await sos(PROXY, spots[2]!, '203.0.113.1')];
    expect(first.map((r) => r.status)).toEqual([201, 201, 429]);
    // Another bystander through the same proxy still gets through, also via a second trusted hop.
    expect((await sos(PROXY, spots[3]!, '203.0.113.2')).status).toBe(201);
    expect((await sos(PROXY, spots[4]!, '203.0.113.3, 10.1.1.1')).status).toBe(201);
  });

  it('takes no forwarded address from a client that is not a listed proxy, nor one it wrote itself', async () => {
    const direct = [];
    for (const [i, forged] of ['198.51.100.1', '198.51.100.2', '198.51.100.3'].entries()) direct.push(await sos('127.0.0.31', spots[5 + i]!, forged));
    expect(direct.map((r) => r.status)).toEqual([201, 201, 429]);
    // Through the proxy, a header the client wrote stands left of the address the proxy appended.
    const through = [];
    for (const [i, forged] of ['198.51.100.4', '198.51.100.5', '198.51.100.6'].entries()) through.push(await sos(PROXY, spots[8 + i]!, `${forged}, 203.0.113.9`));
    expect(through.map((r) => r.status)).toEqual([201, 201, 429]);
  });
});
