/**
 * Benchmark "plan": one full dispatch plan on the demo campus walking graph with 50 volunteers and
 * every campus AED (geo-data/northwestern-evanston: walkways.geojson, aeds.geojson).
 * Each plan has a new seeded patient (a random QR-code spot) and 50 new seeded volunteer positions
 * inside the campus bounds; only planDispatch itself is timed (build time is reported apart).
 */
import { existsSync, readFileSync } from 'node:fs';
import { planDispatch } from '../../api/domain/dispatch-plan.ts';
import type { AedForPlanning, LatLng, VolunteerForPlanning } from '../../api/domain/types.ts';
import { buildWalkingGraph, type WalkwayInput } from '../../api/domain/walking-graph.ts';
import { percentileUs, seededRandom } from './match-stats.ts';

const DIR = new URL('../../geo-data/northwestern-evanston/', import.meta.url);
const VOLUNTEERS = 50;
/** Plans run before timing starts, to warm the JIT up. */
const WARMUP_PLANS = 50;
const AT = new Date('2025-06-10T15:00:00Z'); // a Tuesday, 10:00 on campus: most AEDs open

interface Feature {
  id: string;
  geometry: { coordinates: unknown };
  properties: Record<string, unknown>;
}

function features(file: string): Feature[] {
  return (JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as { features: Feature[] }).features;
}

export async function runPlanBench(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  if (!existsSync(new URL('walkways.geojson', DIR))) return { error: 'geo-data/northwestern-evanston/walkways.geojson not found' };
  const { walkways, aeds, spots } = loadCampus();
  const started = performance.now();
  const graph = buildWalkingGraph(walkways);
  const buildMs = performance.now() - started;
  const plans = opts.quick ? 300 : 1_000;
  const inputs = seededInputs(spots, plans + WARMUP_PLANS);
  const timesMs: number[] = [];
  let aedInBudget = 0;
  inputs.forEach((input, i) => {
    const t0 = performance.now();
    const plan = planDispatch({ ...input, aeds, graph, at: AT, config: { timezone: 'America/Chicago' } });
    if (i >= WARMUP_PLANS) timesMs.push(performance.now() - t0);
    if (plan.withinBudget.aed) aedInBudget++;
  });
  const { p50Us, p99Us } = percentileUs(timesMs);
  const figures = {
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    aeds: aeds.length,
    volunteers: VOLUNTEERS,
    plans,
    buildMs: Math.round(buildMs),
    p50Ms: Math.round(p50Us) / 1000,
    p99Ms: Math.round(p99Us) / 1000,
    aedInBudgetShare: Math.round((aedInBudget / inputs.length) * 100) / 100,
  };
  console.log(`\nplan, demo campus (${graph.nodeCount} nodes, ${aeds.length} AEDs), ${VOLUNTEERS} volunteers, ${plans} plans`);
  console.log(`build ${figures.buildMs} ms   p50 ${figures.p50Ms} ms   p99 ${figures.p99Ms} ms   AED in budget ${figures.aedInBudgetShare}`);
  return figures;
}

function loadCampus(): { walkways: WalkwayInput[]; aeds: AedForPlanning[]; spots: LatLng[] } {
  const walkways = features('walkways.geojson').map((f) => ({
    coords: (f.geometry.coordinates as [number, number][]).map(([lng, lat]) => ({ lat, lng })),
    nodeIds: f.properties.nodeIds as string[] | undefined,
    highway: f.properties.highway as string,
    steps: f.properties.steps === true,
  }));
  const aeds = existsSync(new URL('aeds.geojson', DIR)) ? features('aeds.geojson').map(toAed) : [];
  const spots = features('qr-spots.geojson').map((f) => {
    const [lng, lat] = f.geometry.coordinates as [number, number];
    return { lat, lng };
  });
  return { walkways, aeds, spots };
}

/** A patient at a random QR-code spot and 50 volunteers at random places in the campus bounds, per plan. */
function seededInputs(spots: LatLng[], count: number): { patient: LatLng; volunteers: VolunteerForPlanning[] }[] {
  const random = seededRandom(2025);
  const bounds = { minLat: 42.0478, maxLat: 42.0644, minLng: -87.6841, maxLng: -87.6677 };
  return Array.from({ length: count }, () => ({
    patient: spots[Math.floor(random() * spots.length)],
    volunteers: Array.from({ length: VOLUNTEERS }, (_, i) => ({
      id: `v${i}`,
      lat: bounds.minLat + random() * (bounds.maxLat - bounds.minLat),
      lng: bounds.minLng + random() * (bounds.maxLng - bounds.minLng),
      positionAtMs: AT.getTime() - 5_000,
    })),
  }));
}

function toAed(f: Feature): AedForPlanning {
  const [lng, lat] = f.geometry.coordinates as [number, number];
  const tag = (key: string): string | null => (f.properties[key] as string | undefined) ?? null;
  const level = Number(tag('level'));
  return {
    id: f.id,
    lat,
    lng,
    level: tag('level') === null || Number.isNaN(level) ? null : level,
    indoor: tag('indoor') === null ? null : tag('indoor') === 'yes',
    access: tag('access'),
    openingHours: tag('opening_hours'),
    status: 'in_service',
    claimedByIncidentId: null,
    padExpiresOn: null,
    batteryExpiresOn: null,
  };
}
