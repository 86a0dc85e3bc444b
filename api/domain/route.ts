/**
 * The walking route itself (not only its time), for the volunteer's map: the shortest path on the
 * graph between two points, reconstructed from one Dijkstra's times.
 */
import { timesFrom, travelTimeS } from './travel-time.ts';
import type { LatLng } from './types.ts';
import type { WalkingGraph } from './walking-graph.ts';

export interface WalkingRoute {
  /** From `from` to `to`, on the network where it covers them. */
  path: LatLng[];
  /** Walking seconds at the graph's speed (floors not included). */
  timeS: number;
  /** False when the route is the straight-line fallback (an end off the network, or no connection). */
  onGraph: boolean;
}

/** Relative slack when matching times along the tree: costs are sums of floats. */
const EPSILON_S = 1e-6;

/**
 * The shortest walking route from `from` to `to`. Where the graph does not join the two points the
 * route is the straight line, with its detour-factor time, and `onGraph` is false.
 * @throws InvalidCoordinateError
 */
export function walkingRoute(graph: WalkingGraph, from: LatLng, to: LatLng): WalkingRoute {
  const times = timesFrom(graph, from);
  const timeS = travelTimeS(graph, times, to);
  const straight = { path: [from, to], timeS, onGraph: false };
  const start = times.snap;
  const end = graph.edgeIndex.nearest(to, graph.travel.maxSnapM);
  if (!start || !end) return straight;
  const cost = graph.edgeCostS[end.edge];
  const viaFrom = times.nodeTimesS[graph.edgeFrom[end.edge]] + end.t * cost;
  const viaTo = times.nodeTimesS[graph.edgeTo[end.edge]] + (1 - end.t) * cost;
  if (!Number.isFinite(Math.min(viaFrom, viaTo))) return straight;
  const last = viaFrom <= viaTo ? graph.edgeFrom[end.edge] : graph.edgeTo[end.edge];
  const nodes = backtrack(graph, times.nodeTimesS, last, new Set([graph.edgeFrom[start.edge], graph.edgeTo[start.edge]]));
  const path: LatLng[] = [from, start.point, ...nodes.map((n) => ({ lat: graph.nodeLat[n], lng: graph.nodeLng[n] })), end.point, to];
  return { path: dedupe(path), timeS, onGraph: true };
}

/** Walks back from `node` along edges whose time difference equals their cost, to a seed node. */
function backtrack(graph: WalkingGraph, timesS: Float64Array, node: number, seeds: Set<number>): number[] {
  const out = [node];
  let current = node;
  for (let guard = 0; guard < graph.nodeCount && !(seeds.has(current) && isSeedTime(graph, timesS, current)); guard++) {
    let previous = -1;
    for (let i = graph.adjOffset[current]; i < graph.adjOffset[current + 1]; i++) {
      const n = graph.adjNode[i];
      if (Math.abs(timesS[n] + graph.adjCostS[i] - timesS[current]) <= EPSILON_S * Math.max(1, timesS[current])) {
        previous = n;
        break;
      }
    }
    if (previous < 0) break; // current was reached straight from the start point (a seed)
    out.push(previous);
    current = previous;
  }
  return out.reverse();
}

/** A seed node whose time no neighbour explains was set by the start, not by an edge. */
function isSeedTime(graph: WalkingGraph, timesS: Float64Array, node: number): boolean {
  for (let i = graph.adjOffset[node]; i < graph.adjOffset[node + 1]; i++) {
    if (Math.abs(timesS[graph.adjNode[i]] + graph.adjCostS[i] - timesS[node]) <= EPSILON_S * Math.max(1, timesS[node])) return false;
  }
  return true;
}

function dedupe(path: LatLng[]): LatLng[] {
  return path.filter((p, i) => i === 0 || p.lat !== path[i - 1]!.lat || p.lng !== path[i - 1]!.lng);
}
