/**
 * Shared by the realtime benchmarks (sos, sockets, ingest): a bench database with the demo campus,
 * seeded volunteers with session tokens, and a fleet of WebSocket volunteers held by client child
 * processes (fleet-worker.ts), so that no single client process is the bottleneck or runs out of
 * file descriptors.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createAedRepository } from '../../api/db/aed-repository.ts';
import { createCampusRepository } from '../../api/db/campus-repository.ts';
import { createDb } from '../../api/db/client.ts';
import { cellOf } from '../../api/db/h3-column.ts';
import { migrateDb } from '../../api/db/migrate.ts';
import { DEMO_CAMPUS_DIR } from '../../api/import/geo-data.ts';
import { seedCampusIfEmpty } from '../../api/services/seed.ts';
import { createBenchDatabase } from './bench-db.ts';
import type { Area, BlastReport, WorkerCommand, WorkerStats } from './fleet-worker.ts';

export type { Area, BlastReport, WorkerStats } from './fleet-worker.ts';

/** Centre of the demo campus. */
export const CAMPUS_CENTER = { lat: 42.0565, lng: -87.6753 };
export const BENCH_ADMIN = { email: 'bench-admin@example.org', password: 'bench-Secret-1' };

/** A fresh PostgreSQL database, migrated, with the demo campus loaded; `drop()` removes it. */
export async function createCampusBenchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const db = await createBenchDatabase(prefix);
  try {
    const database = await createDb({ kind: 'postgres', url: db.url, maxConnections: 2 });
    await migrateDb(database);
    await seedCampusIfEmpty({ campuses: createCampusRepository(database.db), aeds: createAedRepository(database.db) }, DEMO_CAMPUS_DIR);
    await database.close();
    return db;
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** A uniformly random point in a disc, for `random` in [0, 1). */
export function pointIn(area: Area, random: () => number): { lat: number; lng: number } {
  const r = area.spreadM * Math.sqrt(random());
  const a = 2 * Math.PI * random();
  const lat = area.center.lat + (r * Math.cos(a)) / 111_195;
  const lng = area.center.lng + (r * Math.sin(a)) / (111_195 * Math.cos((area.center.lat * Math.PI) / 180));
  return { lat, lng };
}

/**
 * Inserts `n` verified, on-duty volunteers with fresh positions in `area` (default: within 4 km of the
 * campus centre) and a day-long session each; returns their session tokens in insertion order.
 */
export async function seedVolunteers(url: string, n: number, random: () => number, area: Area = { center: CAMPUS_CENTER, spreadM: 4_000 }): Promise<string[]> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const tokens: string[] = [];
  const now = new Date();
  for (let start = 0; start < n; start += 2_000) {
    const users = [];
    const sessions = [];
    const duty = [];
    for (let i = start; i < Math.min(n, start + 2_000); i++) {
      const id = randomUUID();
      const token = randomBytes(32).toString('base64url');
      tokens.push(token);
      const { lat, lng } = pointIn(area, random);
      users.push({ id, email: `v${i}@bench.example.org`, password_hash: 'bench', role: 'volunteer', display_name: `V${i}`, verification: 'verified' });
      sessions.push({ token_hash: createHash('sha256').update(token).digest('base64url'), user_id: id, expires_at: new Date(now.getTime() + 86_400_000) });
      duty.push({ user_id: id, on_duty: true, duty_since: now, lat, lng, accuracy_m: 10, h3_cell: cellOf({ lat, lng }), position_at: now });
    }
    await sql`insert into users ${sql(users)}`;
    await sql`insert into sessions ${sql(sessions)}`;
    await sql`insert into volunteer_duty ${sql(duty)}`;
  }
  await sql.end();
  return tokens;
}

/** POSTs JSON (or nothing) and returns the status and the parsed body. */
export async function postJson(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export interface FleetOptions {
  /** Base URL of the API process (http://…). */
  url: string;
  tokens: string[];
  /** Client processes; each holds a contiguous share of the tokens. */
  workers: number;
  /** Loopback source addresses, used in turn: each has ~28k ephemeral ports towards the server. */
  sourceAddresses: string[];
}

/** Volunteers connected from client child processes; every call fans out to all workers. */
export interface Fleet {
  /** Opens every socket, says hello and, once welcomed, sends one position in `area`. */
  connect(area: Area): Promise<{ connected: number; failed: number; errors: string[] }>;
  /** Keeps every socket alive as the volunteer app does: an app ping and a position refresh per period. */
  idle(options: { pingMs: number; positionMs: number; area: Area }): Promise<void>;
  /** Sends positions at `perConnectionPerS` on every socket for `durationMs` from `startAt` (epoch ms), then a barrier per socket. */
  blast(options: { startAt: number; durationMs: number; perConnectionPerS: number; area: Area; ref: string }): Promise<BlastReport[]>;
  stats(): Promise<WorkerStats[]>;
  close(): Promise<void>;
}

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

/** Starts the client processes (no sockets yet). */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { tokens, workers: count } = options;
  const share = Math.ceil(tokens.length / count);
  const workers: { child: ChildProcess; call<T>(command: WorkerCommand): Promise<T> }[] = [];
  for (let w = 0; w < count; w++) {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let next = 0;
    const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.result);
    });
    child.once('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`fleet worker exited with ${code}`));
      waiting.clear();
    });
    workers.push({
      child,
      call: <T>(command: WorkerCommand) =>
        new Promise<T>((resolve, reject) => {
          const id = next++;
          waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
          child.send({ id, ...command });
        }),
    });
  }
  const all = <T>(command: (w: number) => WorkerCommand) => Promise.all(workers.map((worker, w) => worker.call<T>(command(w))));
  return {
    async connect(area) {
      const results = await all<{ connected: number; failed: number; errors: string[] }>((w) => ({
        cmd: 'connect',
        url: options.url,
        tokens: tokens.slice(w * share, (w + 1) * share),
        firstIndex: w * share,
        sourceAddresses: options.sourceAddresses,
        area,
      }));
      return {
        connected: results.reduce((s, r) => s + r.connected, 0),
        failed: results.reduce((s, r) => s + r.failed, 0),
        errors: results.flatMap((r) => r.errors).slice(0, 10),
      };
    },
    idle: async (o) => void (await all(() => ({ cmd: 'idle', ...o }))),
    blast: (o) => all<BlastReport>(() => ({ cmd: 'blast', ...o })),
    stats: () => all<WorkerStats>(() => ({ cmd: 'stats' })),
    async close() {
      await Promise.all(
        workers.map(async ({ child, call }) => {
          if (child.exitCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          await Promise.race([call({ cmd: 'close' }).catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
          if (child.exitCode === null) child.kill('SIGKILL');
        }),
      );
    },
  };
}
