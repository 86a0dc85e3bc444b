/**
 * Random places on the campus: points inside building polygons, points on the walking network
 * (uniform by length), and walks along it. Distances in metres; polygons are small enough for a
 * local plane (lng scaled by cos(lat)).
 */
import { InvalidArgumentError } from '../errors.ts';
import { isPointInPolygon } from '../../import/planar-geometry.ts';
import { distanceM } from '../geo.ts';
import type { LatLng } from '../types.ts';
import type { WalkingGraph } from '../walking-graph.ts';
import { randomIndex, uniform, weightedIndex, type Rng } from './random.ts';

const METRES_PER_DEGREE = 111_195.08;

/** Area of a closed ring on the local plane, square metres. */
export function ringAreaM2(ring: LatLng[]): number {
  if (ring.length < 3) return 0;
  const kx = METRES_PER_DEGREE * Math.cos((ring[0].lat * Math.PI) / 180);
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twice += (ring[j].lng * kx) * (ring[i].lat * METRES_PER_DEGREE) - (ring[i].lng * kx) * (ring[j].lat * METRES_PER_DEGREE);
  }
  return Math.abs(twice) / 2;
}

/**
 * A uniform random point inside a polygon (outer ring, then holes), by rejection from its bounding box.
 * @throws InvalidArgumentError when 1000 tries miss (a degenerate polygon)
 */
export function randomPointInPolygon(rng: Rng, polygon: LatLng[][]): LatLng {
  const outer = polygon[0] ?? [];
  const lats = outer.map((p) => p.lat);
  const lngs = outer.map((p) => p.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  for (let i = 0; i < 1000; i++) {
    const point = { lat: uniform(rng, minLat, maxLat), lng: uniform(rng, minLng, maxLng) };
    if (isPointInPolygon(point, polygon)) return point;
  }
  throw new InvalidArgumentError('polygon too thin to sample a point inside');
}

/** A spot on an edge of the graph. */
export interface EdgeSpot {
  edge: number;
  /** From edgeFrom (0) to edgeTo (1). */
  t: number;
  point: LatLng;
}

/** The point at fraction `t` of an edge. */
export function edgePoint(graph: WalkingGraph, edge: number, t: number): LatLng {
  const a = graph.edgeFrom[edge];
  const b = graph.edgeTo[edge];
  return { lat: graph.nodeLat[a] + t * (graph.nodeLat[b] - graph.nodeLat[a]), lng: graph.nodeLng[a] + t * (graph.nodeLng[b] - graph.nodeLng[a]) };
}

/**
 * Draws spots uniformly by length over the edges that pass `keep` (both ends tested), restricted to
 * one connected piece of the graph (default 0, the largest) so that every spot can walk everywhere.
 */
export class EdgeSampler {
  private readonly edges: number[] = [];
  private readonly cumulativeM: number[] = [];

  constructor(
    private readonly graph: WalkingGraph,
    keep: (point: LatLng) => boolean,
    component = 0,
  ) {
    let total = 0;
    for (let e = 0; e < graph.edgeCount; e++) {
      const from = graph.edgeFrom[e];
      const to = graph.edgeTo[e];
      if (graph.component[from] !== component || graph.edgeLengthM[e] <= 0) continue;
      if (!keep({ lat: graph.nodeLat[from], lng: graph.nodeLng[from] }) || !keep({ lat: graph.nodeLat[to], lng: graph.nodeLng[to] })) continue;
      total += graph.edgeLengthM[e];
      this.edges.push(e);
      this.cumulativeM.push(total);
    }
  }

  /** Total length of the edges drawn from, metres. */
  get lengthM(): number {
    return this.cumulativeM[this.cumulativeM.length - 1] ?? 0;
  }

  /** @throws InvalidArgumentError when no edge passed the filter */
  sample(rng: Rng): EdgeSpot {
    if (this.edges.length === 0) throw new InvalidArgumentError('no walkway to place a point on');
    const edge = this.edges[weightedIndex(rng, this.cumulativeM)];
    const t = rng.next();
    return { edge, t, point: edgePoint(this.graph, edge, t) };
  }
}

/**
 * A random walk along the network from `start`, about `lengthM` long: the first leg runs to either end
 * of the start edge, and at each node the walk takes a random edge other than the one it came by
 * (turning back only at a dead end).
 * @returns the polyline walked, starting at the start spot
 */
export function randomWalk(graph: WalkingGraph, rng: Rng, start: EdgeSpot, lengthM: number): LatLng[] {
  const forward = rng.next() < 0.5;
  let node = forward ? graph.edgeTo[start.edge] : graph.edgeFrom[start.edge];
  let previous = forward ? graph.edgeFrom[start.edge] : graph.edgeTo[start.edge];
  const path = [start.point, nodePoint(graph, node)];
  let walkedM = distanceM(path[0], path[1]);
  while (walkedM < lengthM) {
    const choices: number[] = [];
    for (let i = graph.adjOffset[node]; i < graph.adjOffset[node + 1]; i++) if (graph.adjNode[i] !== previous) choices.push(graph.adjNode[i]);
    const next = choices.length > 0 ? choices[randomIndex(rng, choices.length)] : previous;
    const point = nodePoint(graph, next);
    walkedM += distanceM(path[path.length - 1], point);
    path.push(point);
    previous = node;
    node = next;
  }
  return path;
}

/** Length of a polyline, metres. */
export function polylineLengthM(path: LatLng[]): number {
  let total = 0;
  for (let i = 1; i < path.length; i++) total += distanceM(path[i - 1], path[i]);
  return total;
}

/** The point `atM` metres along a polyline (clamped to its ends). */
export function pointAlong(path: LatLng[], atM: number): LatLng {
  let left = Math.max(0, atM);
  for (let i = 1; i < path.length; i++) {
    const segmentM = distanceM(path[i - 1], path[i]);
    if (left <= segmentM && segmentM > 0) {
      const f = left / segmentM;
      return { lat: path[i - 1].lat + f * (path[i].lat - path[i - 1].lat), lng: path[i - 1].lng + f * (path[i].lng - path[i - 1].lng) };
    }
    left -= segmentM;
  }
  return path[path.length - 1];
}

function nodePoint(graph: WalkingGraph, node: number): LatLng {
  return { lat: graph.nodeLat[node], lng: graph.nodeLng[node] };
}
