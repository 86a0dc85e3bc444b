/**
 * Small planar geometry for campus-sized areas (a few km): points are projected onto a local
 * equirectangular plane in metres, which is accurate to well under 0.1 % at that scale.
 * Pure: no I/O, no dependencies.
 */

/** WGS-84 position in degrees. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** Axis-aligned box in degrees. */
export interface Bounds {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
}

/** A position on the local plane, in metres east (`xM`) and north (`yM`) of the reference. */
export interface PlanarPoint {
  xM: number;
  yM: number;
}

/** A projection between WGS-84 and a local metric plane centred near `origin`. */
export interface LocalProjection {
  toPlane(point: LatLng): PlanarPoint;
  toLatLng(point: PlanarPoint): LatLng;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Creates an equirectangular projection around `origin`; distances in metres. */
export function createLocalProjection(origin: LatLng): LocalProjection {
  const mPerDegLat = EARTH_RADIUS_M * RAD;
  const mPerDegLng = mPerDegLat * Math.cos(origin.lat * RAD);
  return {
    toPlane: (p) => ({ xM: (p.lng - origin.lng) * mPerDegLng, yM: (p.lat - origin.lat) * mPerDegLat }),
    toLatLng: (p) => ({ lat: origin.lat + p.yM / mPerDegLat, lng: origin.lng + p.xM / mPerDegLng }),
  };
}

/** Great-circle (haversine) distance between two points, in metres. */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from `from` to `to`, in degrees clockwise from north, in [0, 360). */
export function bearingDeg(from: LatLng, to: LatLng): number {
  const lat1Rad = from.lat * RAD;
  const lat2Rad = to.lat * RAD;
  const dLngRad = (to.lng - from.lng) * RAD;
  const y = Math.sin(dLngRad) * Math.cos(lat2Rad);
  const x = Math.cos(lat1Rad) * Math.sin(lat2Rad) - Math.sin(lat1Rad) * Math.cos(lat2Rad) * Math.cos(dLngRad);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}

/** Signed area of a ring on the local plane, in m²: positive when counter-clockwise. */
export function signedRingAreaM2(ring: readonly PlanarPoint[]): number {
  let twiceArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twiceArea += ring[j].xM * ring[i].yM - ring[i].xM * ring[j].yM;
  }
  return twiceArea / 2;
}

/**
 * Area-weighted centroid of a polygon with holes (first ring outer, the rest holes).
 * Falls back to the vertex mean for degenerate (zero-area) rings.
 */
export function computePolygonCentroid(rings: readonly (readonly LatLng[])[]): LatLng {
  const outer = rings[0];
  const projection = createLocalProjection(outer[0]);
  let areaSum = 0;
  let xSum = 0;
  let ySum = 0;
  rings.forEach((ring, index) => {
    const pts = ring.map(projection.toPlane);
    const area = Math.abs(signedRingAreaM2(pts));
    if (area === 0) return;
    const c = ringCentroid(pts);
    const sign = index === 0 ? 1 : -1;
    areaSum += sign * area;
    xSum += sign * area * c.xM;
    ySum += sign * area * c.yM;
  });
  if (areaSum <= 0) {
    const mean = outer.reduce((acc, p) => ({ lat: acc.lat + p.lat, lng: acc.lng + p.lng }), { lat: 0, lng: 0 });
    return { lat: mean.lat / outer.length, lng: mean.lng / outer.length };
  }
  return projection.toLatLng({ xM: xSum / areaSum, yM: ySum / areaSum });
}

function ringCentroid(ring: readonly PlanarPoint[]): PlanarPoint {
  let twiceArea = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j].xM * ring[i].yM - ring[i].xM * ring[j].yM;
    twiceArea += cross;
    x += (ring[j].xM + ring[i].xM) * cross;
    y += (ring[j].yM + ring[i].yM) * cross;
  }
  return { xM: x / (3 * twiceArea), yM: y / (3 * twiceArea) };
}

/** Whether `point` lies inside the polygon (first ring outer, the rest holes); even-odd rule. */
export function isPointInPolygon(point: LatLng, rings: readonly (readonly LatLng[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if (a.lat > point.lat !== b.lat > point.lat) {
        const lngAtLat = a.lng + ((point.lat - a.lat) / (b.lat - a.lat)) * (b.lng - a.lng);
        if (point.lng < lngAtLat) inside = !inside;
      }
    }
  }
  return inside;
}

/** Whether `point` lies inside `bounds` (edges included). */
export function isInBounds(point: LatLng, bounds: Bounds): boolean {
  return point.lat >= bounds.minLat && point.lat <= bounds.maxLat && point.lng >= bounds.minLng && point.lng <= bounds.maxLng;
}

/** The smallest box holding every point, or undefined for no points. */
export function computeBounds(points: Iterable<LatLng>): Bounds | undefined {
  let bounds: Bounds | undefined;
  for (const p of points) {
    if (!bounds) bounds = { minLat: p.lat, minLng: p.lng, maxLat: p.lat, maxLng: p.lng };
    else {
      bounds.minLat = Math.min(bounds.minLat, p.lat);
      bounds.minLng = Math.min(bounds.minLng, p.lng);
      bounds.maxLat = Math.max(bounds.maxLat, p.lat);
      bounds.maxLng = Math.max(bounds.maxLng, p.lng);
    }
  }
  return bounds;
}

/** The point of segment `a`-`b` closest to `p`, with its distance in metres. */
export function projectOntoSegment(p: PlanarPoint, a: PlanarPoint, b: PlanarPoint): { point: PlanarPoint; distanceM: number } {
  const dx = b.xM - a.xM;
  const dy = b.yM - a.yM;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.xM - a.xM) * dx + (p.yM - a.yM) * dy) / lengthSq));
  const point = { xM: a.xM + t * dx, yM: a.yM + t * dy };
  return { point, distanceM: Math.hypot(p.xM - point.xM, p.yM - point.yM) };
}

/** Where segments `p0`-`p1` and `q0`-`q1` cross, or undefined when they do not. */
export function intersectSegments(p0: PlanarPoint, p1: PlanarPoint, q0: PlanarPoint, q1: PlanarPoint): PlanarPoint | undefined {
  const rx = p1.xM - p0.xM;
  const ry = p1.yM - p0.yM;
  const sx = q1.xM - q0.xM;
  const sy = q1.yM - q0.yM;
  const denom = rx * sy - ry * sx;
  if (denom === 0) return undefined;
  const t = ((q0.xM - p0.xM) * sy - (q0.yM - p0.yM) * sx) / denom;
  const u = ((q0.xM - p0.xM) * ry - (q0.yM - p0.yM) * rx) / denom;
  if (t < 0 || t > 1 || u < 0 || u > 1) return undefined;
  return { xM: p0.xM + t * rx, yM: p0.yM + t * ry };
}

/**
 * The point of segment `p0`-`p1` closest to segment `q0`-`q1`, with the gap between them in metres
 * (0 when they cross).
 */
export function closestPointOnSegmentToSegment(
  p0: PlanarPoint,
  p1: PlanarPoint,
  q0: PlanarPoint,
  q1: PlanarPoint,
): { point: PlanarPoint; distanceM: number } {
  const crossing = intersectSegments(p0, p1, q0, q1);
  if (crossing) return { point: crossing, distanceM: 0 };
  // Without a crossing, the closest pair always has an endpoint of one segment in it.
  const fromP0 = projectOntoSegment(p0, q0, q1);
  const fromP1 = projectOntoSegment(p1, q0, q1);
  const fromQ0 = projectOntoSegment(q0, p0, p1);
  const fromQ1 = projectOntoSegment(q1, p0, p1);
  let best = { point: p0, distanceM: fromP0.distanceM };
  if (fromP1.distanceM < best.distanceM) best = { point: p1, distanceM: fromP1.distanceM };
  if (fromQ0.distanceM < best.distanceM) best = fromQ0;
  if (fromQ1.distanceM < best.distanceM) best = fromQ1;
  return best;
}
