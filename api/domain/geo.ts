/**
 * Great-circle geometry and H3 cell cover for `{ lat, lng }` points (WGS-84 degrees).
 */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { InvalidArgumentError, InvalidCoordinateError, InvalidResolutionError } from './errors.ts';
import { cellScaleM, CELL_CIRCUMRADIUS_PER_SCALE, ringsToCover } from './h3-cover.ts';
import type { LatLng } from './types.ts';

/** Mean earth radius in metres (IUGG R1), the radius all distances in the domain use. */
export const EARTH_RADIUS_M = 6371008.8;

const RAD_PER_DEG = Math.PI / 180;

/**
 * Great-circle distance by the haversine formula on a sphere of radius {@link EARTH_RADIUS_M}.
 * @returns metres
 */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD_PER_DEG;
  const dLng = (b.lng - a.lng) * RAD_PER_DEG;
  const sinLat = Math.sin(dLat / 2);
  const sinLng = Math.sin(dLng / 2);
  const h = sinLat * sinLat + Math.cos(a.lat * RAD_PER_DEG) * Math.cos(b.lat * RAD_PER_DEG) * sinLng * sinLng;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Checks that a point is a finite WGS-84 position: lat in [-90, 90], lng in [-180, 180].
 * @throws InvalidCoordinateError
 */
export function assertLatLng(point: LatLng): void {
  const { lat, lng } = point;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90 || !Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new InvalidCoordinateError(`invalid coordinate lat=${lat} lng=${lng}`);
  }
}

/**
 * Checks that `res` is an integer H3 resolution 0-15 (h3-js validates the same way).
 * @throws InvalidResolutionError
 */
export function assertRes(res: number): void {
  if (!Number.isInteger(res) || res < 0 || res > 15) {
    throw new InvalidResolutionError(`invalid H3 resolution ${res}`);
  }
}

/**
 * H3 cells at `res` whose union is guaranteed to cover the circle of `radiusM` around `point`.
 *
 * The disk size k comes from {@link ringsToCover} (a conservative bound on what a k-disk of the
 * origin cell covers, measured against exact geometry, pentagons included), then cells whose
 * nearest possible point is farther than the radius are dropped: a cell can only meet the circle
 * if its centre lies within `radiusM` plus its circumradius. The result is a superset of the
 * cells the circle touches, never a subset.
 * @param radiusM metres, >= 0
 * @returns H3 cell indexes (hex strings), origin cell first
 * @throws InvalidCoordinateError, InvalidResolutionError, InvalidArgumentError (negative radius)
 */
export function cellsWithin(point: LatLng, radiusM: number, res: number): string[] {
  assertLatLng(point);
  assertRes(res);
  if (!Number.isFinite(radiusM) || radiusM < 0) throw new InvalidArgumentError(`invalid radiusM ${radiusM}`);
  const origin = latLngToCell(point.lat, point.lng, res);
  const scaleM = cellScaleM(origin);
  const offsetM = distanceM(point, centreOf(origin));
  const k = ringsToCover(radiusM, scaleM, offsetM);
  // Neighbour cells differ in size from the origin by < 10 % (measured); 1.5x is the margin.
  const reachM = radiusM + 1.5 * CELL_CIRCUMRADIUS_PER_SCALE * scaleM;
  return gridDisk(origin, k).filter((cell) => cell === origin || distanceM(point, centreOf(cell)) <= reachM);
}

function centreOf(cell: string): LatLng {
  const [lat, lng] = cellToLatLng(cell);
  return { lat, lng };
}

/** A latitude/longitude box; `minLng > maxLng` never happens: a box across the antimeridian has no lng bounds. */
export interface LatLngBox {
  minLat: number;
  maxLat: number;
  /** Null when the box crosses the antimeridian or reaches a pole (every longitude). */
  lng: { min: number; max: number } | null;
}

/**
 * The smallest latitude/longitude box holding every point within `radiusM` of `point` (with 0.1 %
 * to spare): a cheap first filter before {@link distanceM}.
 * @throws InvalidCoordinateError, InvalidArgumentError (negative radius)
 */
export function boxAround(point: LatLng, radiusM: number): LatLngBox {
  assertLatLng(point);
  if (!Number.isFinite(radiusM) || radiusM < 0) throw new InvalidArgumentError(`invalid radiusM ${radiusM}`);
  const dLat = ((radiusM * 1.001) / EARTH_RADIUS_M) / RAD_PER_DEG;
  const minLat = point.lat - dLat;
  const maxLat = point.lat + dLat;
  if (minLat <= -90 || maxLat >= 90) return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), lng: null };
  // The widest longitude span of a spherical cap is asin(sin(r) / cos(lat)).
  const ratio = Math.sin((radiusM * 1.001) / EARTH_RADIUS_M) / Math.cos(point.lat * RAD_PER_DEG);
  if (ratio >= 1) return { minLat, maxLat, lng: null };
  const dLng = Math.asin(ratio) / RAD_PER_DEG;
  const lng = { min: point.lng - dLng, max: point.lng + dLng };
  return { minLat, maxLat, lng: lng.min < -180 || lng.max > 180 ? null : lng };
}
