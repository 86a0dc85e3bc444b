/**
 * Benchmark "match": 20 nearest volunteers + the nearest usable AED, around a city.
 *
 * Volunteers are seeded uniformly within 30 km of central Chicago (1k, 100k, 1M; quick: 1k, 100k),
 * 2,000 AEDs in the same disk (a quarter unusable), 2,000 seeded queries. Methods:
 * - naive: haversine over every point in Float64Arrays (cos(lat) precomputed), top-20 by insertion;
 *   it is also the ground truth for `agree`.
 * - h3: the domain's H3PointIndex (default resolution; full mode also reports res 9, 10, 11).
 * - postgres: built-in `point` + GiST `<->` (PostGIS is used when `CREATE EXTENSION postgis` works).
 *   `point <->` is planar, so points are stored as (lng * cos(lat0), lat): within 30 km that is
 *   within eps (~0.5 %) of the great-circle distance. Each query fetches 40 volunteers / 5 usable
 *   AEDs by `<->`, re-ranks them by haversine in JS and proves the answer exact: any point not
 *   fetched is at least lastPlanar / (1 + eps) away; when that does not clear the 20th distance
 *   the query is re-run with 4x the limit (counted in `refetches`).
 * Figures per size and method: loadMs, memMb (JS heap + array buffers added), p50Us, p99Us,
 * agree (identical top-20 ids and AED id for every query).
 */
import { H3PointIndex } from '../../api/domain/h3-index.ts';
import { distanceM } from '../../api/domain/geo.ts';
import { heapMb, percentileUs, printTable, seededRandom, type MethodFigures } from './match-stats.ts';
import { runPostgresMethod } from './match-postgres.ts';

const CENTRE = { lat: 41.8781, lng: -87.6298 };
const RADIUS_M = 30_000;
const AED_COUNT = 2_000;
const QUERY_COUNT = 2_000;
const WARMUP_COUNT = 1_000;
const K = 20;

/** Seeded volunteers, AEDs and queries for one size. */
export interface MatchData {
  volunteerLat: Float64Array;
  volunteerLng: Float64Array;
  aedLat: Float64Array;
  aedLng: Float64Array;
  aedUsable: Uint8Array;
  queries: { lat: number; lng: number }[];
}

/** One query's answer: the 20 nearest volunteer indexes and the nearest usable AED index. */
export interface MatchAnswer {
  volunteers: number[];
  aed: number;
}

export async function runMatchBench(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const sizes = opts.quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
  const figures: Record<string, Record<string, unknown>> = {};
  for (const size of sizes) {
    const data = makeData(size, 7 + size);
    const naive = await runNaive(data);
    const row: Record<string, unknown> = { naive: naive.figures, h3: await runH3(data, naive.answers, undefined) };
    if (!opts.quick) {
      const byRes: Record<string, MethodFigures> = {};
      for (const res of [9, 10, 11]) byRes[String(res)] = await runH3(data, naive.answers, res);
      row.h3ByRes = byRes;
    }
    row.postgres = await runPostgresMethod(data, naive.answers, K);
    figures[String(size)] = row;
    printTable(`match, ${size} volunteers, ${AED_COUNT} AEDs, ${QUERY_COUNT} queries`, row);
  }
  // The plan figures (plan.ts) are added under `plan` by the runner, test/bench/run.ts.
  return { suite: 'match', sizes: figures };
}

function makeData(size: number, seed: number): MatchData {
  const random = seededRandom(seed);
  const point = (): { lat: number; lng: number } => {
    const r = RADIUS_M * Math.sqrt(random());
    const a = random() * 2 * Math.PI;
    return {
      lat: CENTRE.lat + (r * Math.cos(a)) / 111_195,
      lng: CENTRE.lng + (r * Math.sin(a)) / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180)),
    };
  };
  const volunteerLat = new Float64Array(size);
  const volunteerLng = new Float64Array(size);
  for (let i = 0; i < size; i++) ({ lat: volunteerLat[i], lng: volunteerLng[i] } = point());
  const aedLat = new Float64Array(AED_COUNT);
  const aedLng = new Float64Array(AED_COUNT);
  const aedUsable = new Uint8Array(AED_COUNT);
  for (let i = 0; i < AED_COUNT; i++) {
    ({ lat: aedLat[i], lng: aedLng[i] } = point());
    aedUsable[i] = random() < 0.75 ? 1 : 0;
  }
  const queries = Array.from({ length: QUERY_COUNT }, point);
  return { volunteerLat, volunteerLng, aedLat, aedLng, aedUsable, queries };
}

async function runNaive(data: MatchData): Promise<{ figures: MethodFigures; answers: MatchAnswer[] }> {
  const before = await heapMb();
  const started = performance.now();
  const cosLat = data.volunteerLat.map((lat) => Math.cos((lat * Math.PI) / 180));
  const loadMs = performance.now() - started;
  const memMb = (await heapMb()) - before;
  const search = (q: { lat: number; lng: number }): MatchAnswer => ({
    volunteers: naiveNearest(data.volunteerLat, data.volunteerLng, cosLat, q, K),
    aed: naiveNearestUsableAed(data, q),
  });
  const { timesMs, answers } = timeQueries(data.queries, search);
  return {
    figures: { loadMs: round(loadMs), memMb: round(memMb), ...percentileUs(timesMs), agree: true },
    answers,
  };
}

const RAD = Math.PI / 180;

function naiveNearest(lat: Float64Array, lng: Float64Array, cosLat: Float64Array, q: { lat: number; lng: number }, k: number): number[] {
  const best = new Float64Array(k).fill(Infinity);
  const bestIndex = new Int32Array(k).fill(-1);
  const cosQ = Math.cos(q.lat * RAD);
  for (let i = 0; i < lat.length; i++) {
    const sinLat = Math.sin(((lat[i] - q.lat) * RAD) / 2);
    const sinLng = Math.sin(((lng[i] - q.lng) * RAD) / 2);
    const h = sinLat * sinLat + cosQ * cosLat[i] * sinLng * sinLng;
    if (h >= best[k - 1]) continue;
    let j = k - 1;
    while (j > 0 && best[j - 1] > h) {
      best[j] = best[j - 1];
      bestIndex[j] = bestIndex[j - 1];
      j--;
    }
    best[j] = h;
    bestIndex[j] = i;
  }
  return Array.from(bestIndex).filter((i) => i >= 0);
}

function naiveNearestUsableAed(data: MatchData, q: { lat: number; lng: number }): number {
  let best = -1;
  let bestM = Infinity;
  for (let i = 0; i < data.aedLat.length; i++) {
    if (data.aedUsable[i] === 0) continue;
    const m = distanceM(q, { lat: data.aedLat[i], lng: data.aedLng[i] });
    if (m < bestM) [best, bestM] = [i, m];
  }
  return best;
}

async function runH3(data: MatchData, truth: MatchAnswer[], res: number | undefined): Promise<MethodFigures> {
  const before = await heapMb();
  const started = performance.now();
  const volunteers = new H3PointIndex({ res });
  for (let i = 0; i < data.volunteerLat.length; i++) {
    volunteers.insert(String(i), { lat: data.volunteerLat[i], lng: data.volunteerLng[i] });
  }
  const aeds = new H3PointIndex({ res });
  for (let i = 0; i < data.aedLat.length; i++) aeds.insert(String(i), { lat: data.aedLat[i], lng: data.aedLng[i] });
  const loadMs = performance.now() - started;
  const memMb = (await heapMb()) - before;
  const usable = (id: string): boolean => data.aedUsable[Number(id)] === 1;
  const { timesMs, answers } = timeQueries(data.queries, (q) => ({
    volunteers: volunteers.nearest(q, K).map((hit) => Number(hit.id)),
    aed: Number(aeds.nearest(q, 1, usable)[0]?.id ?? -1),
  }));
  return { res: volunteers.res, loadMs: round(loadMs), memMb: round(memMb), ...percentileUs(timesMs), agree: agrees(answers, truth) };
}

/** Runs warm-up queries, then times every query. */
export function timeQueries(
  queries: { lat: number; lng: number }[],
  search: (q: { lat: number; lng: number }) => MatchAnswer,
): { timesMs: number[]; answers: MatchAnswer[] } {
  for (const q of queries.slice(0, WARMUP_COUNT)) search(q);
  const timesMs: number[] = [];
  const answers: MatchAnswer[] = [];
  for (const q of queries) {
    const started = performance.now();
    answers.push(search(q));
    timesMs.push(performance.now() - started);
  }
  return { timesMs, answers };
}

/** Whether every answer has the same volunteer ids in the same order and the same AED. */
export function agrees(answers: MatchAnswer[], truth: MatchAnswer[]): boolean {
  return answers.every(
    (answer, i) => answer.aed === truth[i].aed && answer.volunteers.join(',') === truth[i].volunteers.join(','),
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
