/**
 * Spatial index of the walking graph's edges, for snapping a point to the nearest spot on the network.
 * Edges are bucketed by the H3 cells (res 11, ~29 m) of points sampled along them every
 * {@link SAMPLE_SPACING_M}; every spot of an edge is within half a spacing of a sample, so the ring
 * walk stops once the best distance plus that slack is inside the covered radius (exact, like h3-index.ts).
 */
import { latLngToCell } from 'h3-js';
import { distanceM } from './geo.ts';
import { diskCellCount } from './h3-cover.ts';
import { cellKey, RingScanner } from './h3-rings.ts';
import type { LatLng } from './types.ts';
import type { WalkingGraph } from './walking-graph.ts';

/** Resolution of the edge buckets: campus footway segments are 5-50 m long. */
export const EDGE_INDEX_RES = 11;
const SAMPLE_SPACING_M = 10;
/** Half a spacing, plus 1 m for the plane approximation of long segments. */
const SAMPLE_SLACK_M = SAMPLE_SPACING_M / 2 + 1;
/** One visited cell costs about as much as projecting this many edges in a plain scan (measured). */
const CELL_COST_IN_EDGES = 4;
const METRES_PER_DEGREE = 111_195.08;

/** The nearest spot on the network to a point. */
export interface Snap {
  edge: number;
  /** Position along the edge from edgeFrom (0) to edgeTo (1). */
  t: number;
  point: LatLng;
  /** Distance from the point to the network, metres. */
  offsetM: number;
}

type EdgeSource = Pick<WalkingGraph, 'nodeLat' | 'nodeLng' | 'edgeFrom' | 'edgeTo' | 'edgeCount'>;

export class EdgeIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly scanner = new RingScanner(EDGE_INDEX_RES);
  private readonly seen: Int32Array;
  private queryNumber = 0;
  /** The query in progress: point, local plane scale, best edge so far (squared plane metres, t). */
  private readonly q = { lat: 0, lng: 0, cosLat: 1, bestEdge: -1, bestSquaredM: Infinity, bestT: 0 };
  /** The nodes' bounding box; null when the graph spans the antimeridian (no shortcut then). */
  private readonly bounds: { minLat: number; maxLat: number; minLng: number; maxLng: number } | null;

  constructor(private readonly graph: EdgeSource) {
    this.seen = new Int32Array(graph.edgeCount);
    for (let edge = 0; edge < graph.edgeCount; edge++) this.addEdge(edge);
    const b = { minLat: Infinity, maxLat: -Infinity, minLng: Infinity, maxLng: -Infinity };
    for (let node = 0; node < graph.nodeLat.length; node++) {
      b.minLat = Math.min(b.minLat, graph.nodeLat[node]!);
      b.maxLat = Math.max(b.maxLat, graph.nodeLat[node]!);
      b.minLng = Math.min(b.minLng, graph.nodeLng[node]!);
      b.maxLng = Math.max(b.maxLng, graph.nodeLng[node]!);
    }
    this.bounds = b.maxLng - b.minLng < 180 ? b : null;
  }

  /**
   * True when `point` is certainly farther than `maxM` from every node's bounding box, hence from every
   * edge: a volunteer far off campus is answered without walking rings of cells out to maxM.
   */
  private beyond(point: LatLng, maxM: number): boolean {
    const b = this.bounds;
    if (b === null) return false;
    const latGapM = Math.max(0, b.minLat - point.lat, point.lat - b.maxLat) * METRES_PER_DEGREE;
    // A lower bound of the east-west gap: the cosine at the box's or the point's latitude farthest from the equator.
    const farLat = Math.max(Math.abs(b.minLat), Math.abs(b.maxLat), Math.abs(point.lat));
    const lngGapM = Math.max(0, b.minLng - point.lng, point.lng - b.maxLng) * Math.cos((farLat * Math.PI) / 180) * METRES_PER_DEGREE;
    // 1 m of margin for the spherical distance the snap is measured with.
    return Math.max(latGapM, lngGapM) > maxM + 1;
  }

  /**
   * The nearest spot on any edge within `maxM` of `point`, or null (ties: lower edge number).
   * Projection uses a plane tangent at the point: exact to centimetres for campus-length segments.
   */
  nearest(point: LatLng, maxM: number): Snap | null {
    if (this.graph.edgeCount === 0 || this.beyond(point, maxM)) return null;
    const query = this.scanner.start(point.lat, point.lng);
    Object.assign(this.q, { lat: point.lat, lng: point.lng, cosLat: Math.max(1e-9, Math.cos((point.lat * Math.PI) / 180)) });
    this.q.bestEdge = -1;
    this.q.bestSquaredM = Infinity;
    this.queryNumber++;
    for (let ring = 0; ; ring++) {
      if (diskCellCount(ring) * CELL_COST_IN_EDGES > this.graph.edgeCount) {
        for (let edge = 0; edge < this.graph.edgeCount; edge++) this.consider(edge);
        break;
      }
      for (const cell of this.scanner.ring(query, ring)) {
        const edges = this.buckets.get(cellKey(cell));
        if (edges !== undefined) for (const edge of edges) this.consider(edge);
      }
      const coveredM = this.scanner.coverRadiusM(query, ring);
      const bestM = Math.sqrt(this.q.bestSquaredM);
      if (bestM + SAMPLE_SLACK_M <= coveredM || coveredM >= maxM + SAMPLE_SLACK_M) break;
    }
    return this.q.bestEdge < 0 ? null : this.snapOf(point, maxM);
  }

  private snapOf(point: LatLng, maxM: number): Snap | null {
    const { bestEdge: edge, bestT: t } = this.q;
    const { nodeLat, nodeLng, edgeFrom, edgeTo } = this.graph;
    const [a, b] = [edgeFrom[edge], edgeTo[edge]];
    const snapped = { lat: nodeLat[a] + (nodeLat[b] - nodeLat[a]) * t, lng: wrapLng(nodeLng[a] + wrapLng(nodeLng[b] - nodeLng[a]) * t) };
    const offsetM = distanceM(point, snapped);
    return offsetM <= maxM ? { edge, t, point: snapped, offsetM } : null;
  }

  /** Projects the query point onto an edge and keeps it if it is the nearest so far. */
  private consider(edge: number): void {
    if (this.seen[edge] === this.queryNumber) return;
    this.seen[edge] = this.queryNumber;
    const { nodeLat, nodeLng, edgeFrom, edgeTo } = this.graph;
    const { lat, lng, cosLat } = this.q;
    const ax = wrapLng(nodeLng[edgeFrom[edge]] - lng) * cosLat * METRES_PER_DEGREE;
    const ay = (nodeLat[edgeFrom[edge]] - lat) * METRES_PER_DEGREE;
    const bx = wrapLng(nodeLng[edgeTo[edge]] - lng) * cosLat * METRES_PER_DEGREE;
    const by = (nodeLat[edgeTo[edge]] - lat) * METRES_PER_DEGREE;
    const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * (bx - ax) + ay * (by - ay)) / lengthSquared));
    const squaredM = (ax + t * (bx - ax)) ** 2 + (ay + t * (by - ay)) ** 2;
    if (squaredM < this.q.bestSquaredM || (squaredM === this.q.bestSquaredM && edge < this.q.bestEdge)) {
      this.q.bestSquaredM = squaredM;
      this.q.bestEdge = edge;
      this.q.bestT = t;
    }
  }

  private addEdge(edge: number): void {
    const { nodeLat, nodeLng, edgeFrom, edgeTo } = this.graph;
    const a = { lat: nodeLat[edgeFrom[edge]], lng: nodeLng[edgeFrom[edge]] };
    const b = { lat: nodeLat[edgeTo[edge]], lng: nodeLng[edgeTo[edge]] };
    const dLng = wrapLng(b.lng - a.lng);
    const samples = Math.max(1, Math.ceil(distanceM(a, b) / SAMPLE_SPACING_M));
    for (let i = 0; i <= samples; i++) {
      const f = i / samples;
      const key = cellKey(latLngToCell(a.lat + (b.lat - a.lat) * f, wrapLng(a.lng + dLng * f), EDGE_INDEX_RES));
      let bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, (bucket = []));
      if (bucket[bucket.length - 1] !== edge) bucket.push(edge);
    }
  }
}

/** Longitude difference or value folded into [-180, 180). */
function wrapLng(lng: number): number {
  return ((((lng + 180) % 360) + 360) % 360) - 180;
}
