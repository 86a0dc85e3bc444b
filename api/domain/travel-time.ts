/**
 * Walking time between points: on the graph where it covers both ends, straight line x detour
 * factor where it does not. All results are seconds at the graph's configured speed.
 */
import type { Snap } from './edge-index.ts';
import { assertLatLng, distanceM } from './geo.ts';
import { shortestTimesS, type Seed } from './graph-search.ts';
import type { LatLng } from './types.ts';
import type { TravelOptions, WalkingGraph } from './walking-graph.ts';

/** Walking times from one origin to every node of the graph. */
export interface TravelTimes {
  readonly origin: LatLng;
  /** Where the origin joins the network; null when it is off the graph. */
  readonly snap: Snap | null;
  /** Seconds from the origin to each node, its off-graph leg included; Infinity when unreachable or beyond maxTimeS. */
  readonly nodeTimesS: Float64Array;
}

/**
 * The nearest spot on the network within the graph's `maxSnapM`, or null when the point is off the graph.
 * @throws InvalidCoordinateError
 */
export function snapToGraph(graph: WalkingGraph, point: LatLng): Snap | null {
  assertLatLng(point);
  return remember(snaps, graph, SNAPS_KEPT, `${point.lat},${point.lng}`, () => graph.edgeIndex.nearest(point, graph.travel.maxSnapM));
}

/**
 * Recent results per graph, least recently used dropped first; a kept result that `usable` turns
 * down is computed again. The same points come back all the time: AEDs and QR spots never move, an
 * incident's patient is looked at for every view and answer, a volunteer's position is planned again
 * for each wave. Results are read-only; graphs are immutable.
 */
function remember<T>(store: WeakMap<WalkingGraph, Map<string, T>>, graph: WalkingGraph, size: number, key: string, compute: () => T, usable: (kept: T) => boolean = () => true): T {
  let kept = store.get(graph);
  if (!kept) store.set(graph, (kept = new Map()));
  const hit = kept.get(key);
  if (hit !== undefined && usable(hit)) {
    kept.delete(key);
    kept.set(key, hit);
    return hit;
  }
  const value = compute();
  kept.delete(key);
  kept.set(key, value);
  if (kept.size > size) kept.delete(kept.keys().next().value!);
  return value;
}

const SNAPS_KEPT = 4_096;
const snaps = new WeakMap<WalkingGraph, Map<string, Snap | null>>();
/**
 * Searches kept per graph, by memory: a search keeps 8 bytes a node. 32 MB holds every QR spot and
 * AED of a campus the size of the demo (4,000 nodes: 1,000 searches); a 128-search limit made a
 * campus with 173 spots and 12 AEDs search again on most SOS. Never fewer than 64.
 */
const SEARCH_BYTES_KEPT = 32 * 1024 * 1024;
const searches = new WeakMap<WalkingGraph, Map<string, { boundS: number; times: TravelTimes }>>();

/** How many searches from distinct origins a graph keeps (see SEARCH_BYTES_KEPT). */
export function searchesKept(graph: WalkingGraph): number {
  return Math.max(64, Math.floor(SEARCH_BYTES_KEPT / (8 * Math.max(1, graph.nodeCount))));
}

/**
 * Walking time from `origin` to every node (one Dijkstra, or a recent one from the same origin that
 * searched at least as far). The leg from the origin to the network is walked straight at the
 * detour factor, like any off-graph walk.
 * @param options.maxTimeS bound the search: nodes farther than this may stay Infinity (a kept
 *   search that went farther answers with its finite times)
 * @throws InvalidCoordinateError
 */
export function timesFrom(graph: WalkingGraph, origin: LatLng, options: { maxTimeS?: number } = {}): TravelTimes {
  assertLatLng(origin);
  const boundS = options.maxTimeS ?? Infinity;
  const kept = remember(
    searches,
    graph,
    searchesKept(graph),
    `${origin.lat},${origin.lng}`,
    () => ({ boundS, times: search(graph, { lat: origin.lat, lng: origin.lng }, options.maxTimeS) }),
    (k) => k.boundS >= boundS,
  );
  return kept.times;
}

function search(graph: WalkingGraph, origin: LatLng, maxTimeS: number | undefined): TravelTimes {
  const snap = snapToGraph(graph, origin);
  if (snap === null) return { origin, snap, nodeTimesS: new Float64Array(graph.nodeCount).fill(Infinity) };
  const offS = offGraphTimeS(graph.travel, snap.offsetM);
  const costS = graph.edgeCostS[snap.edge];
  const seeds: Seed[] = [
    { node: graph.edgeFrom[snap.edge], timeS: offS + snap.t * costS },
    { node: graph.edgeTo[snap.edge], timeS: offS + (1 - snap.t) * costS },
  ];
  return { origin, snap, nodeTimesS: shortestTimesS(graph, seeds, maxTimeS) };
}

/**
 * Walking time from the origin of `from` to `to`, in seconds. Pass `toSnap` (from
 * {@link snapToGraph}) when the same destination is asked about repeatedly.
 *
 * On the graph when both ends snap to the same connected component; otherwise (an end off the graph,
 * or on a piece of network that does not connect) straight line x detourFactor / speed. Two points
 * nearer to each other than to the network (both off it, e.g. inside one building) walk straight
 * when that is quicker. Infinity when the graph route exceeds the maxTimeS `from` was computed with.
 * @throws InvalidCoordinateError
 */
export function travelTimeS(graph: WalkingGraph, from: TravelTimes, to: LatLng, toSnap?: Snap | null): number {
  const target = toSnap === undefined ? snapToGraph(graph, to) : toSnap;
  const straightS = fallbackTimeS(graph.travel, from.origin, to);
  if (from.snap === null || target === null || componentOf(graph, from.snap) !== componentOf(graph, target)) return straightS;
  const costS = graph.edgeCostS[target.edge];
  let onGraphS = Math.min(
    from.nodeTimesS[graph.edgeFrom[target.edge]] + target.t * costS,
    from.nodeTimesS[graph.edgeTo[target.edge]] + (1 - target.t) * costS,
  );
  if (from.snap.edge === target.edge) {
    onGraphS = Math.min(onGraphS, offGraphTimeS(graph.travel, from.snap.offsetM) + Math.abs(from.snap.t - target.t) * costS);
  }
  const viaGraphS = onGraphS + offGraphTimeS(graph.travel, target.offsetM);
  const nearEachOther = distanceM(from.origin, to) <= from.snap.offsetM + target.offsetM;
  return nearEachOther ? Math.min(viaGraphS, straightS) : viaGraphS;
}

/**
 * Walking time between two points (one Dijkstra from `a`).
 * @throws InvalidCoordinateError
 */
export function timeBetweenS(graph: WalkingGraph, a: LatLng, b: LatLng): number {
  return travelTimeS(graph, timesFrom(graph, a), b);
}

/**
 * Off-graph walking time for a straight-line distance: distance x detourFactor / speed.
 * @returns seconds
 */
export function fallbackTimeS(travel: TravelOptions, a: LatLng, b: LatLng): number {
  return offGraphTimeS(travel, distanceM(a, b));
}

/**
 * Time to climb or descend between the ground floor and `level` (0 = ground, negative = basement).
 * @param stairSecondsPerFloor seconds per floor for a running person
 * @returns seconds (0 when the level is unknown)
 */
export function floorTimeS(level: number | null | undefined, stairSecondsPerFloor: number): number {
  return level === null || level === undefined || !Number.isFinite(level) ? 0 : Math.abs(level) * stairSecondsPerFloor;
}

function offGraphTimeS(travel: TravelOptions, metres: number): number {
  return (metres * travel.detourFactor) / travel.walkSpeedMps;
}

function componentOf(graph: WalkingGraph, snap: Snap): number {
  return graph.component[graph.edgeFrom[snap.edge]];
}
