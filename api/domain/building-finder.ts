/**
 * Which campus building a point is in or on: an AED's location text ("三楼健身区楼梯口") says where
 * inside a building, not which building, and a bystander sending someone for it needs both.
 */
import { computeBounds, createLocalProjection, isPointInPolygon, projectOntoSegment, type Bounds } from '../import/planar-geometry.ts';
import type { LatLng } from './types.ts';

export interface BuildingShape {
  name: string;
  nameZh: string | null;
  /** GeoJSON Polygon or MultiPolygon, [lng, lat] positions. */
  geometry: unknown;
}

export interface BuildingName {
  name: string;
  nameZh: string | null;
}

const ANSWERS_KEPT = 10_000;

interface Indexed {
  building: BuildingName;
  /** Rings of each polygon (outer first, then holes). */
  polygons: LatLng[][][];
  bounds: Bounds;
}

/**
 * The buildings of a campus with a bounding-box check first: a few hundred polygons, asked about a
 * handful of AED points per plan.
 */
export class BuildingFinder {
  private readonly shapes: Indexed[];
  /** Answers by point: the same few AEDs are asked about on every plan. */
  private readonly answers = new Map<string, BuildingName | null>();

  constructor(buildings: readonly BuildingShape[]) {
    this.shapes = buildings.flatMap((b) => {
      const polygons = polygonsOf(b.geometry);
      const bounds = computeBounds(polygons.flat(2));
      return bounds ? [{ building: { name: b.name, nameZh: b.nameZh }, polygons, bounds }] : [];
    });
  }

  /**
   * The building whose outline holds the point, or else the one whose outline passes nearest, within
   * `toleranceM` (an AED on an outside wall, by an entrance); null when none is that close.
   */
  at(point: LatLng, toleranceM = 20): BuildingName | null {
    const key = `${point.lat},${point.lng},${toleranceM}`;
    const known = this.answers.get(key);
    if (known !== undefined) return known;
    if (this.answers.size >= ANSWERS_KEPT) this.answers.clear();
    const found = this.search(point, toleranceM);
    this.answers.set(key, found);
    return found;
  }

  private search(point: LatLng, toleranceM: number): BuildingName | null {
    const plane = createLocalProjection(point);
    const origin = { xM: 0, yM: 0 };
    // The tolerance as a box around the point, to skip buildings that cannot be that close.
    const corner = plane.toLatLng({ xM: toleranceM, yM: toleranceM });
    const padLat = corner.lat - point.lat;
    const padLng = corner.lng - point.lng;
    let nearest: { building: BuildingName; distanceM: number } | null = null;
    for (const { building, polygons, bounds: b } of this.shapes) {
      if (point.lat < b.minLat - padLat || point.lat > b.maxLat + padLat || point.lng < b.minLng - padLng || point.lng > b.maxLng + padLng) continue;
      if (polygons.some((rings) => isPointInPolygon(point, rings))) return building;
      for (const ring of polygons.flat()) {
        const xy = ring.map((p) => plane.toPlane(p));
        for (let i = 0, j = xy.length - 1; i < xy.length; j = i++) {
          const d = projectOntoSegment(origin, xy[j]!, xy[i]!).distanceM;
          if (d <= toleranceM && (!nearest || d < nearest.distanceM)) nearest = { building, distanceM: d };
        }
      }
    }
    return nearest?.building ?? null;
  }
}

function isPosition(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

function ringsOf(coords: unknown): LatLng[][] {
  if (!Array.isArray(coords)) return [];
  return coords.map((ring) => (Array.isArray(ring) ? ring.filter(isPosition).map(([lng, lat]) => ({ lat, lng })) : [])).filter((ring) => ring.length >= 3);
}

/** Polygons of a GeoJSON Polygon or MultiPolygon ([lng, lat] positions), each as its rings (outer first); nothing for any other geometry. */
export function polygonsOf(geometry: unknown): LatLng[][][] {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return [ringsOf(g.coordinates)].filter((rings) => rings.length > 0);
  if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates.map(ringsOf).filter((rings) => rings.length > 0);
  return [];
}
