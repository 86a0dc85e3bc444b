/**
 * Finds the point of a building outline closest to the walking network, with a uniform grid over
 * walkway segments so each query looks at a few cells instead of every segment. Pure.
 */
import type { OsmBuilding, OsmWalkway } from './osm-campus';
import {
  closestPointOnSegmentToSegment,
  createLocalProjection,
  type LatLng,
  type LocalProjection,
  type PlanarPoint,
} from './planar-geometry';

export interface WalkwayIndex {
  projection: LocalProjection;
  cellSizeM: number;
  cells: Map<string, Segment[]>;
  isEmpty: boolean;
}

interface Segment {
  a: PlanarPoint;
  b: PlanarPoint;
  walkwayOsmId: string;
}

export interface OutlinePointNearWalkway {
  point: LatLng;
  /** Gap between the outline point and the closest walkway segment, in metres (0 when a walkway crosses the outline). */
  distanceM: number;
  walkwayOsmId: string;
}

const DEFAULT_CELL_SIZE_M = 50;
const MAX_SEARCH_RADIUS_M = 5_000;

/** Indexes every walkway segment in grid cells of `cellSizeM` metres. */
export function indexWalkways(walkways: readonly OsmWalkway[], cellSizeM = DEFAULT_CELL_SIZE_M): WalkwayIndex {
  const origin = walkways[0]?.coords[0] ?? { lat: 0, lng: 0 };
  const projection = createLocalProjection(origin);
  const cells = new Map<string, Segment[]>();
  for (const walkway of walkways) {
    const points = walkway.coords.map(projection.toPlane);
    for (let i = 1; i < points.length; i++) {
      const segment = { a: points[i - 1], b: points[i], walkwayOsmId: walkway.osmId };
      forEachCell(boxOf([segment.a, segment.b], 0), cellSizeM, (key) => {
        const list = cells.get(key);
        if (list) list.push(segment);
        else cells.set(key, [segment]);
      });
    }
  }
  return { projection, cellSizeM, cells, isEmpty: cells.size === 0 };
}

/**
 * The point on the building's outer rings closest to any walkway, or undefined when no walkway lies
 * within 5 km.
 */
export function findOutlinePointNearestWalkway(building: OsmBuilding, index: WalkwayIndex): OutlinePointNearWalkway | undefined {
  if (index.isEmpty) return undefined;
  const rings = building.polygons.map((rings) => rings[0].map(index.projection.toPlane));
  const box = boxOf(rings.flat(), 0);
  for (let radiusM = index.cellSizeM; radiusM <= MAX_SEARCH_RADIUS_M; radiusM *= 2) {
    const best = searchWithin(rings, boxOf([box.min, box.max], radiusM), index);
    // Any segment closer than radiusM touches a cell of the widened box, so this answer is exact.
    if (best && best.distanceM <= radiusM) {
      return { point: index.projection.toLatLng(best.point), distanceM: best.distanceM, walkwayOsmId: best.walkwayOsmId };
    }
  }
  return undefined;
}

function searchWithin(
  rings: PlanarPoint[][],
  box: { min: PlanarPoint; max: PlanarPoint },
  index: WalkwayIndex,
): { point: PlanarPoint; distanceM: number; walkwayOsmId: string } | undefined {
  const segments = new Set<Segment>();
  forEachCell(box, index.cellSizeM, (key) => index.cells.get(key)?.forEach((s) => segments.add(s)));
  let best: { point: PlanarPoint; distanceM: number; walkwayOsmId: string } | undefined;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      for (const segment of segments) {
        const candidate = closestPointOnSegmentToSegment(ring[i - 1], ring[i], segment.a, segment.b);
        if (!best || candidate.distanceM < best.distanceM) best = { ...candidate, walkwayOsmId: segment.walkwayOsmId };
      }
    }
  }
  return best;
}

function boxOf(points: readonly PlanarPoint[], marginM: number): { min: PlanarPoint; max: PlanarPoint } {
  const xs = points.map((p) => p.xM);
  const ys = points.map((p) => p.yM);
  return {
    min: { xM: Math.min(...xs) - marginM, yM: Math.min(...ys) - marginM },
    max: { xM: Math.max(...xs) + marginM, yM: Math.max(...ys) + marginM },
  };
}

function forEachCell(box: { min: PlanarPoint; max: PlanarPoint }, cellSizeM: number, visit: (key: string) => void): void {
  for (let cx = Math.floor(box.min.xM / cellSizeM); cx <= Math.floor(box.max.xM / cellSizeM); cx++) {
    for (let cy = Math.floor(box.min.yM / cellSizeM); cy <= Math.floor(box.max.yM / cellSizeM); cy++) {
      visit(`${cx}:${cy}`);
    }
  }
}
