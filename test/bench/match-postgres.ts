/**
 * The PostgreSQL peer of the match benchmark (see match.ts for the method and the exactness proof).
 * Server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { distanceM, EARTH_RADIUS_M } from '../../api/domain/geo.ts';
import type { MatchAnswer, MatchData } from './match.ts';
import { agrees } from './match.ts';
import { percentileUs, type MethodFigures } from './match-stats.ts';

type Sql = postgres.Sql<Record<string, never>>;

const VOLUNTEER_FETCH = 40;
const AED_FETCH = 5;
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/** How positions are stored and compared: PostGIS geography when available, else built-in point. */
interface Backend {
  name: 'postgis-geography' | 'point+gist';
  columnType: string;
  /** COPY text of a position. */
  position(lat: number, lng: number): string;
  /** SQL of the query position. */
  target(sql: Sql, lat: number, lng: number): postgres.PendingQuery<postgres.Row[]>;
  /** Metres per unit of `<->`. */
  metresPerUnit: number;
  /** Largest relative error of `<->` against the haversine distance. */
  eps: number;
}

interface Row {
  kind: number;
  id: number;
  lat: number;
  lng: number;
  planar: number;
}

/** Loads the data into PostgreSQL, runs the queries, drops the tables. */
export async function runPostgresMethod(data: MatchData, truth: MatchAnswer[], k: number): Promise<MethodFigures> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const sql: Sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const suffix = `${process.pid}_${data.volunteerLat.length}`;
  const tables = { volunteers: `bench_match_volunteers_${suffix}`, aeds: `bench_match_aeds_${suffix}` };
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end();
    // No server: the figures say so instead of failing the whole benchmark.
    return { error: `postgres unavailable: ${(error as Error).message}` };
  }
  try {
    const lat0 = data.queries.reduce((sum, q) => sum + q.lat, 0) / data.queries.length;
    const backend = (await hasPostgis(sql)) ? geographyBackend() : pointBackend(data, Math.cos((lat0 * Math.PI) / 180));
    const started = performance.now();
    await load(sql, data, tables, backend);
    const loadMs = performance.now() - started;
    const [{ bytes }] = await sql<{ bytes: string }[]>`
      select pg_total_relation_size(${tables.volunteers}) + pg_total_relation_size(${tables.aeds}) as bytes`;
    const { answers, timesMs, refetches } = await timeSearches(sql, tables, backend, data, k);
    return {
      backend: backend.name,
      loadMs: Math.round(loadMs),
      tableMb: Math.round(Number(bytes) / 1e5) / 10,
      ...percentileUs(timesMs),
      agree: agrees(answers, truth),
      refetches,
    };
  } finally {
    await sql`drop table if exists ${sql(tables.volunteers)}, ${sql(tables.aeds)}`;
    await sql.end();
  }
}

/** The same warm-up and timing as match.ts's timeQueries, awaited. */
async function timeSearches(sql: Sql, tables: { volunteers: string; aeds: string }, backend: Backend, data: MatchData, k: number) {
  let refetches = 0;
  const answers: MatchAnswer[] = [];
  const timesMs: number[] = [];
  for (const q of data.queries.slice(0, 1_000)) await search(sql, tables, backend, q, k);
  for (const q of data.queries) {
    const t0 = performance.now();
    const result = await search(sql, tables, backend, q, k);
    timesMs.push(performance.now() - t0);
    answers.push(result.answer);
    refetches += result.refetches;
  }
  return { answers, timesMs, refetches };
}

async function hasPostgis(sql: Sql): Promise<boolean> {
  try {
    await sql`create extension if not exists postgis`;
    return true;
  } catch {
    // Not installed on this server: the built-in point type is the fallback peer.
    return false;
  }
}

function geographyBackend(): Backend {
  return {
    name: 'postgis-geography',
    columnType: 'geography(Point, 4326)',
    position: (lat, lng) => `SRID=4326;POINT(${lng} ${lat})`,
    target: (sql, lat, lng) => sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)::geography`,
    metresPerUnit: 1,
    // Sphere or spheroid distance against our sphere: well under 0.5 %.
    eps: 0.005,
  };
}

/** Points stored as (lng * cos(lat0), lat): planar degrees that track metres within the band's distortion. */
function pointBackend(data: MatchData, cos0: number): Backend {
  let worst = 0;
  for (const lat of [...data.volunteerLat, ...data.aedLat]) {
    worst = Math.max(worst, Math.abs(Math.cos((lat * Math.PI) / 180) / cos0 - 1));
  }
  return {
    name: 'point+gist',
    columnType: 'point',
    position: (lat, lng) => `(${lng * cos0},${lat})`,
    target: (sql, lat, lng) => sql`point(${lng * cos0}, ${lat})`,
    metresPerUnit: METRES_PER_DEGREE,
    // The band's east-west scale error, plus 0.1 % for the plane against the sphere at < 60 km.
    eps: worst + 0.001,
  };
}

async function load(sql: Sql, data: MatchData, tables: { volunteers: string; aeds: string }, backend: Backend): Promise<void> {
  const column = sql.unsafe(backend.columnType);
  await sql`create unlogged table ${sql(tables.volunteers)} (id int4, lat float8, lng float8, pos ${column})`;
  await sql`create unlogged table ${sql(tables.aeds)} (id int4, lat float8, lng float8, usable bool, pos ${column})`;
  const volunteerRows = function* (): Generator<string> {
    for (let start = 0; start < data.volunteerLat.length; start += 10_000) {
      let chunk = '';
      for (let i = start; i < Math.min(start + 10_000, data.volunteerLat.length); i++) {
        const lat = data.volunteerLat[i];
        const lng = data.volunteerLng[i];
        chunk += `${i}\t${lat}\t${lng}\t${backend.position(lat, lng)}\n`;
      }
      yield chunk;
    }
  };
  await pipeline(Readable.from(volunteerRows()), await sql`copy ${sql(tables.volunteers)} from stdin`.writable());
  const aedRows = Array.from(data.aedLat, (lat, i) => {
    const lng = data.aedLng[i];
    return `${i}\t${lat}\t${lng}\t${data.aedUsable[i] === 1}\t${backend.position(lat, lng)}\n`;
  });
  await pipeline(Readable.from([aedRows.join('')]), await sql`copy ${sql(tables.aeds)} from stdin`.writable());
  await sql`create index on ${sql(tables.volunteers)} using gist (pos)`;
  await sql`create index on ${sql(tables.aeds)} using gist (pos)`;
  await sql`analyze ${sql(tables.volunteers)}`;
  await sql`analyze ${sql(tables.aeds)}`;
}

async function search(
  sql: Sql,
  tables: { volunteers: string; aeds: string },
  backend: Backend,
  q: { lat: number; lng: number },
  k: number,
): Promise<{ answer: MatchAnswer; refetches: number }> {
  const target = backend.target(sql, q.lat, q.lng);
  for (let factor = 1, refetches = 0; ; factor *= 4, refetches++) {
    const [vLimit, aLimit] = [VOLUNTEER_FETCH * factor, AED_FETCH * factor];
    const rows = await sql<Row[]>`
      (select 0 as kind, id, lat, lng, pos <-> ${target} as planar from ${sql(tables.volunteers)}
        order by pos <-> ${target} limit ${vLimit})
      union all
      (select 1, id, lat, lng, pos <-> ${target} from ${sql(tables.aeds)} where usable
        order by pos <-> ${target} limit ${aLimit})`;
    const volunteers = rerank(rows.filter((row) => row.kind === 0), q, vLimit, backend, k);
    const aeds = rerank(rows.filter((row) => row.kind === 1), q, aLimit, backend, 1);
    if (volunteers !== null && aeds !== null) {
      return { answer: { volunteers, aed: aeds[0] ?? -1 }, refetches };
    }
  }
}

/** The k nearest by haversine among fetched rows, or null when unfetched rows could still beat them. */
function rerank(rows: Row[], q: { lat: number; lng: number }, limit: number, backend: Backend, k: number): number[] | null {
  const ranked = rows.map((row) => ({ id: row.id, m: distanceM(q, row) })).sort((a, b) => a.m - b.m);
  if (rows.length < limit) return ranked.slice(0, k).map((r) => r.id);
  const lastM = Math.max(...rows.map((row) => row.planar)) * backend.metresPerUnit;
  const kthM = ranked[Math.min(k, ranked.length) - 1].m;
  return lastM / (1 + backend.eps) > kthM ? ranked.slice(0, k).map((r) => r.id) : null;
}
