/**
 * Unit-vector form of positions, for hot loops: the squared chord between two unit vectors is a
 * strictly increasing function of their great-circle distance, so ranking by it is exact and needs
 * no trigonometry per candidate.
 */
import { EARTH_RADIUS_M } from './geo.ts';

const RAD_PER_DEG = Math.PI / 180;

/** Writes the unit vector of (lat, lng) into `out` at `offset` (x, y, z). */
export function writeUnitVector(lat: number, lng: number, out: Float64Array, offset: number): void {
  const phi = lat * RAD_PER_DEG;
  const lambda = lng * RAD_PER_DEG;
  const cosPhi = Math.cos(phi);
  out[offset] = cosPhi * Math.cos(lambda);
  out[offset + 1] = cosPhi * Math.sin(lambda);
  out[offset + 2] = Math.sin(phi);
}

/**
 * Squared chord on the unit sphere equivalent to a great-circle distance.
 * @param distanceM metres (clamped to half the circumference)
 */
export function squaredChordForDistanceM(distanceM: number): number {
  const half = Math.min(Math.PI, Math.max(0, distanceM) / EARTH_RADIUS_M) / 2;
  const chord = 2 * Math.sin(half);
  return chord * chord;
}

/**
 * Great-circle distance equivalent to a squared chord on the unit sphere.
 * @returns metres
 */
export function distanceMForSquaredChord(squaredChord: number): number {
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(squaredChord) / 2));
}
