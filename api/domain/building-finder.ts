/**
 * Which campus building a point is in or on: an AED's location text ("三楼健身区楼梯口") says where
 * inside a building, not which building, and a bystander sending someone for it needs both.
 */
import { EARTH_RADIUS_M, pointInPolygon } from './geo.ts';
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

/** Metres per degree of latitude. */
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

const ANSWERS_KEPT = 10_000;

interface Indexed {
  building: BuildingName;
  /** Rings of each polygon (outer first, then holes). */
  polygons: LatLng[][][];
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
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
      const points = polygons.flat(2);
      if (points.length === 0) return [];
      const lats = points.map((p) => p.lat);
      const lngs = points.map((p) => p.lng);
      return [{ building: { name: b.name, nameZh: b.nameZh }, polygons, minLat: Math.min(...lats), maxLat: Math.max(...lats), minLng: Math.min(...lngs), maxLng: Math.max(...lngs) }];
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
    const padLat = toleranceM / M_PER_DEG;
    const padLng = padLat / Math.max(Math.cos((point.lat * Math.PI) / 180), 1e-6);
    let nearest: { building: BuildingName; distanceM: number } | null = null;
    for (const s of this.shapes) {
      if (point.lat < s.minLat - padLat || point.lat > s.maxLat + padLat || point.lng < s.minLng - padLng || point.lng > s.maxLng + padLng) continue;
      if (s.polygons.some((rings) => pointInPolygon(point, rings))) return s.building;
      const d = Math.min(...s.polygons.flatMap((rings) => rings.map((ring) => ringDistanceM(point, ring))));
      if (d <= toleranceM && (!nearest || d < nearest.distanceM)) nearest = { building: s.building, distanceM: d };
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

/** Polygons of a GeoJSON Polygon or MultiPolygon ([lng, lat] positions); nothing for any other geometry. */
function polygonsOf(geometry: unknown): LatLng[][][] {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return [ringsOf(g.coordinates)].filter((rings) => rings.length > 0);
  if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates.map(ringsOf).filter((rings) => rings.length > 0);
  return [];
}

/** Metres from a point to the nearest edge of a ring, on a local flat projection. */
function ringDistanceM(point: LatLng, ring: LatLng[]): number {
  const kx = M_PER_DEG * Math.cos((point.lat * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const ax = (ring[j]!.lng - point.lng) * kx;
    const ay = (ring[j]!.lat - point.lat) * M_PER_DEG;
    const dx = (ring[i]!.lng - ring[j]!.lng) * kx;
    const dy = (ring[i]!.lat - ring[j]!.lat) * M_PER_DEG;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}
