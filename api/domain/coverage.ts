/**
 * AED coverage of a campus: for every H3 cell, the best time in which an AED can be at the cell's
 * centre on foot, the share of the campus inside the budget, and where one more AED would add the
 * most covered cells (greedy). One multi-source Dijkstra from all AEDs gives every node its best
 * AED time; cells read it through their snap to the network, exactly as `travelTimeS` would for
 * each AED alone (a property the unit tests check against brute force).
 */
import { cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import type { DispatchConfig } from './config.ts';
import type { Snap } from './edge-index.ts';
import { assertRes, distanceM } from './geo.ts';
import { shortestTimesS, type Seed } from './graph-search.ts';
import { fallbackTimeS, floorTimeS, snapToGraph } from './travel-time.ts';
import type { AedForPlanning, LatLng } from './types.ts';
import type { TravelOptions, WalkingGraph } from './walking-graph.ts';

/** Resolution of coverage cells: res 10, 75.9 m average edge (h3-js v4), ~15,000 m2 a cell. */
export const COVERAGE_RES = 10;

/** Where an AED (or a proposed one) starts: its position and the seconds to get it out of its cabinet. */
export interface CoverageSource extends LatLng {
  id: string;
  /** Cabinet, indoor search and stairs to and from the AED's floor, seconds. */
  retrievalS: number;
}

/** A place where one more AED could hang (a building entrance, a building centre). */
export interface CoverageSite extends CoverageSource {
  label: string;
}

export interface CampusArea {
  bounds: { minLat: number; minLng: number; maxLat: number; maxLng: number };
  /** Outer rings of the building outlines. */
  buildings: LatLng[][];
  /** Walkway polylines. */
  walkways: LatLng[][];
}

export interface CoverageOptions {
  /** The four-minute window: a cell is covered when an AED can be there within this, seconds. */
  budgetS: number;
  /** Times beyond this are not searched and come back as Infinity, seconds. */
  maxTimeS: number;
  /** Sites an existing AED reaches within this are not proposed, seconds (default 60). */
  minSiteGapS?: number;
  /** How many AEDs to add one after another (greedy), default 1. */
  suggestions?: number;
}

export interface SiteSuggestion {
  site: CoverageSite;
  /** Cells this AED brings inside the budget, on top of the AEDs before it. */
  gainCells: number;
  /** Share of campus cells inside the budget once this AED (and the ones before it) hang. */
  shareAfter: number;
}

export interface CoverageResult {
  cells: { cell: string; timeS: number }[];
  coveredCells: number;
  /** Covered cells / campus cells (0 for a campus without cells). */
  shareWithinBudget: number;
  suggestions: SiteSuggestion[];
}

/** A point with its snap to the walking network (null: off the network, or no network). */
interface Placed {
  point: LatLng;
  snap: Snap | null;
}

/**
 * Seconds to fetch an AED from its cabinet, as the dispatch plan counts them: the cabinet, the search
 * indoors, and the stairs up to its floor and back down (floors connect through the ground floor).
 */
export function aedRetrievalS(aed: Pick<AedForPlanning, 'indoor' | 'level'>, config: DispatchConfig): number {
  const indoorS = aed.indoor === true ? config.indoorRetrievalExtraS : 0;
  return config.aedRetrievalS + indoorS + 2 * floorTimeS(aed.level, config.stairSecondsPerFloor);
}

/**
 * The campus as H3 cells: every cell inside the bounds that holds part of a building or a walkway,
 * so fields, parking lots and water without paths do not count as campus to cover.
 * @returns cell indexes, sorted
 * @throws InvalidResolutionError
 */
export function campusCells(area: CampusArea, res = COVERAGE_RES): string[] {
  assertRes(res);
  const { minLat, minLng, maxLat, maxLng } = area.bounds;
  const inside = (p: LatLng) => p.lat >= minLat && p.lat <= maxLat && p.lng >= minLng && p.lng <= maxLng;
  const cells = new Set<string>();
  const add = (p: LatLng) => {
    if (inside(p)) cells.add(latLngToCell(p.lat, p.lng, res));
  };
  for (const ring of area.buildings) {
    ring.forEach(add);
    if (ring.length >= 3) {
      for (const cell of polygonToCells(ring.map((p) => [p.lat, p.lng]), res)) add(centreOf(cell));
    }
  }
  // Sample walkways densely enough (10 m) that no cell a path crosses is skipped.
  for (const line of area.walkways) {
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const steps = Math.max(1, Math.ceil(distanceM(a, b) / 10));
      for (let s = 0; s <= steps; s++) add({ lat: a.lat + ((b.lat - a.lat) * s) / steps, lng: a.lng + ((b.lng - a.lng) * s) / steps });
    }
  }
  return [...cells].sort();
}

/** The centre of an H3 cell. */
export function centreOf(cell: string): LatLng {
  const [lat, lng] = cellToLatLng(cell);
  return { lat, lng };
}

function place(graph: WalkingGraph | null, point: LatLng): Placed {
  return { point, snap: graph ? snapToGraph(graph, point) : null };
}

function offS(travel: TravelOptions, metres: number): number {
  return (metres * travel.detourFactor) / travel.walkSpeedMps;
}

/**
 * Best time from any source to each target, seconds: retrieval, then on foot. Per source this is what
 * `travelTimeS` gives (network where both ends snap to one component, straight line x detour factor
 * otherwise, and straight when two points are nearer each other than to the network).
 */
function timesToTargets(graph: WalkingGraph | null, travel: TravelOptions, sources: (CoverageSource & Placed)[], targets: Placed[], maxTimeS: number): Float64Array {
  const seeds: Seed[] = [];
  if (graph) {
    for (const s of sources) {
      if (!s.snap) continue;
      const leaveS = s.retrievalS + offS(travel, s.snap.offsetM);
      const costS = graph.edgeCostS[s.snap.edge];
      seeds.push({ node: graph.edgeFrom[s.snap.edge], timeS: leaveS + s.snap.t * costS }, { node: graph.edgeTo[s.snap.edge], timeS: leaveS + (1 - s.snap.t) * costS });
    }
  }
  const nodeTimesS = graph && seeds.length > 0 ? shortestTimesS(graph, seeds, maxTimeS) : null;
  const out = new Float64Array(targets.length);
  targets.forEach((target, i) => {
    let best = Infinity;
    const snap = target.snap;
    if (graph && snap && nodeTimesS) {
      const costS = graph.edgeCostS[snap.edge];
      const onS = Math.min(nodeTimesS[graph.edgeFrom[snap.edge]] + snap.t * costS, nodeTimesS[graph.edgeTo[snap.edge]] + (1 - snap.t) * costS);
      best = onS + offS(travel, snap.offsetM);
    }
    for (const s of sources) {
      if (graph && snap && s.snap && s.snap.edge === snap.edge) {
        const alongS = Math.abs(s.snap.t - snap.t) * graph.edgeCostS[snap.edge];
        best = Math.min(best, s.retrievalS + offS(travel, s.snap.offsetM) + alongS + offS(travel, snap.offsetM));
      }
      const separate = !graph || !snap || !s.snap || graph.component[graph.edgeFrom[s.snap.edge]] !== graph.component[graph.edgeFrom[snap.edge]];
      if (separate || distanceM(s, target.point) <= s.snap!.offsetM + snap!.offsetM) {
        best = Math.min(best, s.retrievalS + fallbackTimeS(travel, s, target.point));
      }
    }
    out[i] = best <= maxTimeS ? best : Infinity;
  });
  return out;
}

/**
 * Best AED time at each point (usable AEDs only: the caller filters by availability).
 * @param travel the graph's travel options, or the dispatch config when there is no graph
 * @returns seconds per point, Infinity beyond `maxTimeS`
 * @throws InvalidCoordinateError
 */
export function coverageTimesS(graph: WalkingGraph | null, travel: TravelOptions, aeds: CoverageSource[], points: LatLng[], maxTimeS: number): Float64Array {
  const sources = aeds.map((a) => ({ ...a, ...place(graph, a) }));
  return timesToTargets(graph, travel, sources, points.map((p) => place(graph, p)), maxTimeS);
}

/**
 * Coverage of the campus cells by the usable AEDs, and the greedy choice of sites for more AEDs:
 * each pick is the site that brings the most cells inside the budget (ties: the larger total time
 * saved, then the lower id); sites an AED already reaches within `minSiteGapS` are skipped.
 * @throws InvalidCoordinateError
 */
export function computeCoverage(
  input: { graph: WalkingGraph | null; travel: TravelOptions; cells: string[]; aeds: CoverageSource[]; sites: CoverageSite[] },
  options: CoverageOptions,
): CoverageResult {
  const { graph, travel, cells, aeds } = input;
  const { budgetS, maxTimeS } = options;
  const targets = cells.map((c) => place(graph, centreOf(c)));
  const sources = aeds.map((a) => ({ ...a, ...place(graph, a) }));
  const current = timesToTargets(graph, travel, sources, targets, maxTimeS);
  const result = cells.map((cell, i) => ({ cell, timeS: current[i] }));
  const coveredCells = result.filter((c) => c.timeS <= budgetS).length;
  const share = (n: number) => (cells.length === 0 ? 0 : n / cells.length);

  const minGapS = options.minSiteGapS ?? 60;
  const sitePlaces = input.sites.map((s) => ({ ...s, ...place(graph, s) }));
  const siteNowS = timesToTargets(graph, travel, sources, sitePlaces, minGapS);
  const candidates = sitePlaces
    .filter((_, i) => !(siteNowS[i] <= minGapS))
    .map((site) => ({ site, timesS: timesToTargets(graph, travel, [site], targets, budgetS) }));

  const best = Float64Array.from(current);
  const suggestions: SiteSuggestion[] = [];
  let covered = coveredCells;
  for (let k = 0; k < (options.suggestions ?? 1); k++) {
    const pick = bestCandidate(candidates, best, budgetS, maxTimeS);
    if (pick === null || pick.gain === 0) break;
    const [chosen] = candidates.splice(pick.index, 1);
    for (let i = 0; i < best.length; i++) best[i] = Math.min(best[i], chosen.timesS[i]);
    covered += pick.gain;
    const { id, label, lat, lng, retrievalS } = chosen.site;
    suggestions.push({ site: { id, label, lat, lng, retrievalS }, gainCells: pick.gain, shareAfter: share(covered) });
  }
  return { cells: result, coveredCells, shareWithinBudget: share(coveredCells), suggestions };
}

/** The candidate adding the most covered cells (ties: more seconds saved, then the lower site id). */
function bestCandidate(
  candidates: { site: CoverageSite; timesS: Float64Array }[],
  best: Float64Array,
  budgetS: number,
  maxTimeS: number,
): { index: number; gain: number; savedS: number } | null {
  let pick: { index: number; gain: number; savedS: number } | null = null;
  for (let index = 0; index < candidates.length; index++) {
    const { timesS, site } = candidates[index];
    let gain = 0;
    let savedS = 0;
    for (let i = 0; i < best.length; i++) {
      if (!(timesS[i] < best[i])) continue;
      if (best[i] > budgetS && timesS[i] <= budgetS) gain++;
      savedS += Math.min(best[i], maxTimeS) - timesS[i];
    }
    const better = pick === null || gain > pick.gain || (gain === pick.gain && (savedS > pick.savedS || (savedS === pick.savedS && site.id < candidates[pick.index].site.id)));
    if (better) pick = { index, gain, savedS };
  }
  return pick;
}
