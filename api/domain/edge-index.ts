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
/** As in h3-index.ts: one visited cell costs about as much as this many edges in a plain scan. */
const CELL_COST_IN_EDGES = 100;
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

  constructor(private readonly graph: EdgeSource) {
    this.seen = new Int32Array(graph.edgeCount);
    for (let edge = 0; edge < graph.edgeCount; edge++) this.addEdge(edge);
  }

  /**
   * The nearest spot on any edge within `maxM` of `point`, or null (ties: lower edge number).
   * Projection uses a plane tangent at the point: exact to centimetres for campus-length segments.
   */
  nearest(point: LatLng, maxM: number): Snap | null {
    if (this.graph.edgeCount === 0) return null;
    const query = this.scanner.start(point.lat, point.lng);
    const stamp = ++this.queryNumber;
    let best: Snap | null = null;
    const consider = (edge: number): void => {
      if (this.seen[edge] === stamp) return;
      this.seen[edge] = stamp;
      const snap = this.project(point, edge);
      if (best === null || snap.offsetM < best.offsetM || (snap.offsetM === best.offsetM && edge < best.edge)) best = snap;
    };
    for (let ring = 0; ; ring++) {
      if (diskCellCount(ring) * CELL_COST_IN_EDGES > this.graph.edgeCount) {
        for (let edge = 0; edge < this.graph.edgeCount; edge++) consider(edge);
        break;
      }
      for (const cell of this.scanner.ring(query, ring)) this.buckets.get(cellKey(cell))?.forEach(consider);
      const coveredM = this.scanner.coverRadiusM(query, ring);
      const bestM = (best as Snap | null)?.offsetM ?? Infinity;
      if (bestM + SAMPLE_SLACK_M <= coveredM || coveredM >= maxM + SAMPLE_SLACK_M) break;
    }
    const found = best as Snap | null;
    return found !== null && found.offsetM <= maxM ? found : null;
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

  private project(point: LatLng, edge: number): Snap {
    const { nodeLat, nodeLng, edgeFrom, edgeTo } = this.graph;
    const cosLat = Math.max(1e-9, Math.cos((point.lat * Math.PI) / 180));
    const toX = (lng: number): number => wrapLng(lng - point.lng) * cosLat * METRES_PER_DEGREE;
    const toY = (lat: number): number => (lat - point.lat) * METRES_PER_DEGREE;
    const ax = toX(nodeLng[edgeFrom[edge]]);
    const ay = toY(nodeLat[edgeFrom[edge]]);
    const bx = toX(nodeLng[edgeTo[edge]]);
    const by = toY(nodeLat[edgeTo[edge]]);
    const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * (bx - ax) + ay * (by - ay)) / lengthSquared));
    const snapped = {
      lat: point.lat + (ay + t * (by - ay)) / METRES_PER_DEGREE,
      lng: wrapLng(point.lng + (ax + t * (bx - ax)) / (cosLat * METRES_PER_DEGREE)),
    };
    return { edge, t, point: snapped, offsetM: distanceM(point, snapped) };
  }
}

/** Longitude difference or value folded into [-180, 180). */
function wrapLng(lng: number): number {
  return ((((lng + 180) % 360) + 360) % 360) - 180;
}
