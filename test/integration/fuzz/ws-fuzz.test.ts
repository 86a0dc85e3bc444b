import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../api/server.ts';
import { errorMessage, parseClientMessage } from '../../../api/realtime/messages.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, type TestDatabase } from '../../support/db.ts';
import { connectSocket } from '../../support/ws-client.ts';
import { createTally, FUZZ_RUNS, FUZZ_SEED } from './fuzz-helpers.ts';
import { messageFrames, rawFrames, type Frame } from './ws-inputs.ts';

/**
 * Property-based fuzzing of the realtime endpoint over real sockets: 1,000 frames per client
 * message type and per kind of junk frame. Every invalid frame gets an INVALID_MESSAGE error frame
 * (echoing its ref), nothing answers INTERNAL, and the connection stays open (a ping after each
 * batch gets its pong).
 *
 * The per-connection token bucket (burst 50, 20/s; not configurable through startTestServer) would
 * make one connection take 50 s per type, so each type's 1,000 frames go out as 25 batches of 40,
 * each on its own authenticated connection, inside the burst.
 */

const BATCH = 40;
const ADMIN = { email: 'ws-fuzz-admin@example.org', password: 'ws-fuzz-admin-1' };

describe('fuzzing the realtime WebSocket with random frames', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let real: { token: string; incidentId: string; publicToken: string };
  const tally = createTally();
  let batchNo = 0;

  async function http(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} during set-up: ${res.status} ${await res.text()}`);
    return res.json();
  }

  beforeAll(async () => {
    database = await openTestDb('pglite');
    server = await startTestServer(database, { SEED_DEMO: 'true', SOS_BURST: '100000', SOS_PER_MINUTE: '1000000', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    const admin = (await http('POST', '/api/auth/login', undefined, ADMIN)).token;
    const volunteer = await http('POST', '/api/auth/register', undefined, { email: 'ws-fuzz@example.org', password: 'volunteer-pw-1', displayName: 'W' });
    await http('POST', `/api/admin/volunteers/${volunteer.user.id}/verify`, admin, { certificateExpiresOn: '2099-01-01' });
    const { spots } = await http('GET', '/api/admin/qr-spots', admin);
    // On duty next to the spot, so the SOS alerts this volunteer and `respond` reaches a real dispatch.
    await http('PUT', '/api/volunteer/duty', volunteer.token, { onDuty: true });
    await http('POST', '/api/volunteer/position', volunteer.token, { lat: spots[0].lat, lng: spots[0].lng });
    const incident = await http('POST', '/api/incidents', undefined, { qrCode: spots[0].code, clientRequestId: crypto.randomUUID() });
    real = { token: volunteer.token, incidentId: incident.incidentId, publicToken: incident.publicToken };
  });
  afterAll(async () => {
    console.log(`[ws-fuzz] frames per type: ${FUZZ_RUNS}; answers (error codes, pong, none):\n${tally.summary()}`);
    await server?.close();
    await database?.close();
  });

  /** One authenticated connection: hello, the batch, a draining hello, then a ping that must be answered. */
  async function runBatch(name: string, frames: Frame[]) {
    const n = batchNo++;
    const socket = await connectSocket(server.url);
    let closedWith: number | undefined;
    const closed = new Promise<never>((_, reject) => socket.ws.on('close', (code) => reject(new Error(`closed with ${(closedWith = code)}`))));
    closed.catch(() => {});
    const answer = (match: (f: Record<string, any>) => boolean) => Promise.race([socket.waitFor(match), closed]);
    try {
      socket.send({ type: 'hello', auth: { kind: 'volunteer', token: real.token }, ref: `hello-${n}` });
      await answer((f) => f.type === 'welcome');
      const start = socket.frames.length;
      const expectedRefs: (string | undefined)[] = [];
      for (const frame of frames) {
        if (frame.kind === 'binary') {
          socket.ws.send(frame.data, { binary: true });
          expectedRefs.push(undefined);
          continue;
        }
        socket.ws.send(frame.data);
        const parsed = parseClientMessage(frame.data);
        if (!parsed.ok) expectedRefs.push(parsed.ref);
      }
      // hello after hello is answered in turn, after every handler the batch queued.
      socket.send({ type: 'hello', auth: { kind: 'volunteer', token: 'again' }, ref: `drain-${n}` });
      await answer((f) => f.type === 'error' && f.ref === `drain-${n}`);
      socket.send({ type: 'ping', ref: `alive-${n}` });
      await answer((f) => f.type === 'pong' && f.ref === `alive-${n}`);

      const answers = socket.frames.slice(start) as Record<string, unknown>[];
      for (const a of answers) tally.add(name, a.type === 'error' ? String(a.code) : String(a.type));
      const errors = answers.filter((a) => a.type === 'error');
      for (const e of errors) expect(errorMessage.safeParse(e).success, JSON.stringify(e).slice(0, 300)).toBe(true);
      expect(errors.filter((e) => e.code === 'INTERNAL')).toEqual([]);
      const invalid = errors.filter((e) => e.code === 'INVALID_MESSAGE');
      expect(invalid.map((e) => e.ref), 'one INVALID_MESSAGE per invalid frame, in order, echoing its ref').toEqual(expectedRefs);
      expect(errors.filter((e) => e.code === 'RATE_LIMITED').length).toBeLessThan(frames.length / 2);
      expect(closedWith).toBeUndefined();
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      await socket.close();
    }
  }

  const property = (name: string, frame: () => fc.Arbitrary<Frame>) => async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame(), { minLength: BATCH, maxLength: BATCH }), (frames) => runBatch(name, frames)),
      // No shrinking: each step opens a socket, and seed + path reproduce the batch.
      { numRuns: FUZZ_RUNS / BATCH, seed: FUZZ_SEED, endOnFailure: true },
    );
  };

  for (const type of ['hello', 'ping', 'position', 'ack', 'respond']) {
    it(`answers 1,000 random ${type} messages without INTERNAL errors and keeps the connection`, property(type, () => messageFrames(real)[type]!));
  }
  for (const kind of Object.keys(rawFrames)) {
    it(`answers 1,000 random ${kind} frames with INVALID_MESSAGE and keeps the connection`, property(kind, () => rawFrames[kind]!));
  }
});
