/**
 * `npm run bench -- sos`: time from POST /api/incidents to the alert frame at each alerted volunteer,
 * with N real WebSocket volunteers on loopback, on PostgreSQL; one API process, then two (clients
 * spread over both, SOS posted to the first: alerts for the second's clients cross LISTEN/NOTIFY).
 * First, how steady the machine's CPU is (host-noise.ts): spells of a slower CPU set the p99 here.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import WebSocket from 'ws';
import { startApiProcess, type ApiProcess } from './api-process.ts';
import { BENCH_ADMIN as ADMIN, createCampusBenchDatabase, postJson as post, seedVolunteers } from './fleet.ts';
import { measureHostNoise } from './host-noise.ts';
import { percentileUs, printTable, seededRandom } from './match-stats.ts';

/**
 * SOS posted (and checked) before timing starts: the first few after a start are slower (code not yet
 * compiled by the JIT, connections opening); the slowest alert of the very first is reported apart.
 */
const WARMUP_SOS = 10;

/** SOS_BENCH_CPU_PROFILE=<dir>: each API process writes a V8 CPU profile there when it stops. */
const cpuProfileDir = process.env.SOS_BENCH_CPU_PROFILE;

interface Client {
  ws: WebSocket;
}

async function connectAll(urls: string[], tokens: string[], onAlert: (incidentId: string, at: number) => void): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < tokens.length; start += 250) {
    const batch = tokens.slice(start, start + 250).map(
      (token, j) =>
        new Promise<Client>((resolve, reject) => {
          const ws = new WebSocket(`${urls[(start + j) % urls.length]!.replace('http', 'ws')}/api/ws`);
          ws.once('error', reject);
          ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token } })));
          ws.on('message', (data) => {
            const at = performance.now();
            const text = String(data);
            if (text.includes('"welcome"')) return resolve({ ws });
            if (text.includes('"alert"')) {
              const frame = JSON.parse(text);
              if (frame.type === 'event' && frame.event.type === 'alert') onAlert(frame.incidentId, at);
            }
          });
        }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** One configuration: N volunteers over `processCount` API processes, `sosCount` SOS. */
async function runCase(n: number, processCount: number, sosCount: number) {
  const db = await createCampusBenchDatabase('aed_bench_sos');
  const procs: ApiProcess[] = [];
  let clients: Client[] = [];
  try {
    const random = seededRandom(n + processCount);
    const tokens = await seedVolunteers(db.url, n, random);
    const env = { DATABASE_URL: db.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SOS_BURST: '100000', SOS_PER_MINUTE: '1000000' };
    for (let i = 0; i < processCount; i++) procs.push(await startApiProcess(env, cpuProfileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] } : {}));
    const alerts = new Map<string, number[]>();
    const connectStart = performance.now();
    clients = await connectAll(procs.map((p) => p.url), tokens, (id, at) => alerts.set(id, [...(alerts.get(id) ?? []), at]));
    const connectMs = performance.now() - connectStart;
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql`update volunteer_duty set position_at = now()`; // fresh positions for the planner
    const spots = (await sql`select code from qr_spots order by code`).map((r) => r.code as string);
    await sql.end();
    const admin = (await post(procs[0]!.url, '/api/auth/login', ADMIN)).body.token as string;
    const latenciesMs: number[] = [];
    const httpMs: number[] = [];
    let alerted = 0;
    let firstSosMs = 0;
    for (let i = -WARMUP_SOS; i < sosCount; i++) {
      const qrCode = spots[Math.floor(random() * spots.length)]!;
      const t0 = performance.now();
      const res = await post(procs[0]!.url, '/api/incidents', { qrCode, clientRequestId: randomUUID() });
      if (i >= 0) httpMs.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`SOS answered ${res.status}: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 150)); // let the alerts of this SOS land
      const arrivals = alerts.get(res.body.incidentId) ?? [];
      if (arrivals.length !== res.body.view.alerted) throw new Error(`alerted ${res.body.view.alerted}, delivered ${arrivals.length}`);
      if (i === -WARMUP_SOS) firstSosMs = Math.max(...arrivals.map((at) => at - t0));
      if (i >= 0) {
        alerted += arrivals.length;
        for (const at of arrivals) latenciesMs.push(at - t0);
      }
      await post(procs[0]!.url, `/api/incidents/${res.body.incidentId}/resolve`, undefined, admin);
    }
    const alert = percentileUs(latenciesMs);
    const http = percentileUs(httpMs);
    return {
      volunteers: n,
      processes: processCount,
      sos: sosCount,
      alertsDelivered: alerted,
      alertP50Ms: alert.p50Us / 1000,
      alertP99Ms: alert.p99Us / 1000,
      httpP50Ms: http.p50Us / 1000,
      httpP99Ms: http.p99Us / 1000,
      connectS: Math.round(connectMs / 100) / 10,
      warmupSos: WARMUP_SOS,
      firstSosMs: Math.round(firstSosMs * 10) / 10,
    };
  } finally {
    for (const c of clients) c.ws.terminate();
    for (const p of procs) await p.stop();
    await db.drop();
  }
}

export async function runSosBench(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const all: [number, number][] = opts.quick ? [[1_000, 1], [1_000, 2]] : [[1_000, 1], [10_000, 1], [10_000, 2]];
  // SOS_BENCH_CASES=10000x1,10000x2 runs only those (volunteers x processes), for quicker iteration.
  const only = process.env.SOS_BENCH_CASES?.split(',').map((c) => c.trim());
  const cases = only ? all.filter(([n, p]) => only.includes(`${n}x${p}`)) : all;
  // SOS_BENCH_COUNT=300: more SOS per case, for steadier percentiles when comparing two builds.
  const sosCount = Number(process.env.SOS_BENCH_COUNT) || (opts.quick ? 30 : 150);
  // The machine's own steadiness first, with nothing else running (see host-noise.ts).
  const hostNoise = measureHostNoise(opts.quick ? 2_000 : 5_000);
  printTable('CPU steadiness of this machine (a ~150 µs unit of work, back to back)', { hostNoise });
  const figures: Record<string, Record<string, unknown>> = {};
  for (const [n, processes] of cases) {
    const key = processes === 1 ? 'oneProcess' : 'twoProcesses';
    const result = await runCase(n, processes, sosCount);
    (figures[String(n)] ??= {})[key] = result;
    printTable(`SOS -> alert, ${n} volunteers, ${processes} API process(es), PostgreSQL`, { [key]: result });
  }
  return { hostNoise, sizes: figures };
}
