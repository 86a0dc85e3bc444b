/**
 * `npm run bench -- sockets`: memory of idle volunteers held by ONE API process. N on-duty volunteers
 * connect over loopback from client child processes (fleet.ts), authenticate, share a position, then
 * idle as the volunteer app does (an app ping every 20 s, a position refresh every 45 s; ws answers
 * the server's protocol pings). The API process's RSS (VmRSS) is read before connecting (after full
 * collections) and after holding them a while, as found; then once more after full collections forced
 * through the inspector, which tells live memory from garbage V8 has not collected yet. The difference
 * over N is the memory per connection. Goal (issue): 50,000 idle connections within 1 GB RSS.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { processCpuMs as cpuMs, startApiProcess, type ApiProcess } from './api-process.ts';
import { CAMPUS_CENTER, createCampusBenchDatabase, seedVolunteers, startFleet, type Fleet } from './fleet.ts';
import { printTable, seededRandom } from './match-stats.ts';

const GOAL = { connections: 50_000, rssMb: 1_000 };
/** Each loopback source address has ~28k ephemeral ports (32768-60999) towards the server's one port. */
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const PER_WORKER = 5_000;
/** Descriptors the API process needs besides its sockets (database pool, LISTEN, stdio, epoll…). */
const FD_MARGIN = 200;
const IDLE = { pingMs: 20_000, positionMs: 45_000, area: { center: CAMPUS_CENTER, spreadM: 4_000 } };

/** The soft RLIMIT_NOFILE of a process and how many descriptors it has open. */
function fdUsage(pid: number): { limit: number; open: number } {
  const m = readFileSync(`/proc/${pid}/limits`, 'utf8').match(/^Max open files\s+(\d+|unlimited)/m);
  return { limit: m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity, open: readdirSync(`/proc/${pid}/fd`).length };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects up to `requested` volunteers (fewer if the API process's descriptor limit says so) and holds them `holdMs`. */
async function runSize(requested: number, holdMs: number) {
  const db = await createCampusBenchDatabase('aed_bench_sockets');
  let api: ApiProcess | undefined;
  let fleet: Fleet | undefined;
  try {
    // The inspector only forces full collections at the end, to tell live memory from garbage not yet collected.
    api = await startApiProcess({ DATABASE_URL: db.url }, { inspect: true });
    const pid = api.child.pid!;
    const fds = fdUsage(pid);
    const n = Math.min(requested, fds.limit - fds.open - FD_MARGIN);
    const tokens = await seedVolunteers(db.url, n, seededRandom(n));
    await sleep(2_000);
    // Baseline after full collections: start-up garbage is not the connections' doing.
    const heapBefore = await api.collectGarbage();
    const rssBeforeMb = api.rssMb();
    fleet = await startFleet({ url: api.url, tokens, workers: Math.ceil(n / PER_WORKER), sourceAddresses: SOURCE_ADDRESSES });
    const t0 = performance.now();
    const connected = await fleet.connect(IDLE.area);
    const connectS = (performance.now() - t0) / 1000;
    if (connected.failed > 0) console.error(`sockets: ${connected.failed} of ${n} failed to connect, e.g. ${connected.errors.join('; ')}`);
    await fleet.idle(IDLE);
    const rssConnectedMb = api.rssMb();
    const cpu0 = cpuMs(pid);
    let rssPeakMb = rssConnectedMb;
    for (let waited = 0; waited < holdMs; waited += 1_000) {
      await sleep(1_000);
      rssPeakMb = Math.max(rssPeakMb, api.rssMb());
    }
    const serverCpuPct = ((cpuMs(pid) - cpu0) / holdMs) * 100;
    const rssHeldMb = api.rssMb();
    const heapHeld = await api.collectGarbage();
    const rssAfterGcMb = api.rssMb();
    const stats = await fleet.stats();
    const open = stats.reduce((s, w) => s + w.open, 0);
    const errors = Object.entries(Object.assign({}, ...stats.map((w) => w.errors)) as Record<string, number>);
    if (errors.length > 0) console.error(`sockets: error frames while idle: ${JSON.stringify(Object.fromEntries(errors))}`);
    const warnings = api.output().trim();
    if (warnings) console.error(`sockets: the API process printed:\n${warnings.slice(-2_000)}`);
    const perConnectionMb = (rssHeldMb - rssBeforeMb) / connected.connected;
    const perConnectionAfterGcMb = (rssAfterGcMb - rssBeforeMb) / connected.connected;
    return {
      figures: {
        connections: connected.connected,
        ...(n < requested ? { requestedConnections: requested } : {}),
        stillOpen: open,
        connectS: round(connectS),
        rssBeforeMb: round(rssBeforeMb),
        rssConnectedMb: round(rssConnectedMb),
        rssMb: round(rssHeldMb),
        rssPeakMb: round(rssPeakMb),
        kbPerConnection: round(perConnectionMb * 1_000, 2),
        rssAfterGcMb: round(rssAfterGcMb),
        kbPerConnectionAfterGc: round(perConnectionAfterGcMb * 1_000, 2),
        heapKbPerConnection: round(((heapHeld.heapUsedMb - heapBefore.heapUsedMb) / connected.connected) * 1_000, 2),
        idleServerCpuPct: round(serverCpuPct),
        clientRssMb: round(stats.reduce((s, w) => s + w.rssMb, 0)),
        holdS: holdMs / 1000,
        fdLimit: fds.limit,
      },
      perConnectionMb,
      rssBeforeMb,
      perConnectionAfterGcMb,
    };
  } finally {
    await fleet?.close();
    await api?.stop();
    await db.drop();
  }
}

export async function runSocketsBench(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const sizes = opts.quick ? [2_000] : [10_000, GOAL.connections];
  const holdMs = opts.quick ? 15_000 : 60_000;
  const out: Record<string, unknown> = {};
  for (const requested of sizes) {
    const { figures, perConnectionMb, rssBeforeMb, perConnectionAfterGcMb } = await runSize(requested, holdMs);
    out[String(figures.connections)] = figures;
    printTable(`Idle volunteers held by one API process (PostgreSQL), ${figures.connections} connected`, { [String(figures.connections)]: figures });
    if (figures.connections < requested) {
      // Not measured: the process could not open that many sockets here. Say so, and what the slope implies.
      const projectedRssMb = rssBeforeMb + perConnectionMb * requested;
      const projectedRssAfterGcMb = rssBeforeMb + perConnectionAfterGcMb * requested;
      out[String(requested)] = {
        measured: false,
        reason: `the API process may open ${figures.fdLimit} files (hard RLIMIT_NOFILE) here`,
        projectedRssMb: round(projectedRssMb),
        projectedRssAfterGcMb: round(projectedRssAfterGcMb),
        goalRssMb: GOAL.rssMb,
        projectedWithinGoal: projectedRssMb <= GOAL.rssMb,
        projectedAfterGcWithinGoal: projectedRssAfterGcMb <= GOAL.rssMb,
      };
      printTable(`${requested} connections: not measured here (descriptor limit); linear projection from ${figures.connections}`, { [String(requested)]: out[String(requested)] });
    }
  }
  return out;
}
