/**
 * Test fixtures for the domain's geometry tests: points at a given distance and bearing, local
 * offsets in metres, and the hard places on the sphere where spatial indexes tend to break.
 */
import { cellToLatLng, getPentagons } from 'h3-js';
import fc from 'fast-check';
import { EARTH_RADIUS_M } from '../../../api/domain/geo.ts';
import type { LatLng } from '../../../api/domain/types.ts';

const RAD = Math.PI / 180;

/** The point `distanceM` from `from` along the initial `bearingDeg` (great circle). */
export function destination(from: LatLng, bearingDeg: number, distanceM: number): LatLng {
  const delta = distanceM / EARTH_RADIUS_M;
  const theta = bearingDeg * RAD;
  const phi1 = from.lat * RAD;
  const lambda1 = from.lng * RAD;
  const sinPhi2 = Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta);
  const phi2 = Math.asin(Math.max(-1, Math.min(1, sinPhi2)));
  const lambda2 =
    lambda1 + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1), Math.cos(delta) - Math.sin(phi1) * sinPhi2);
  const lng = ((((lambda2 / RAD + 180) % 360) + 360) % 360) - 180;
  return { lat: phi2 / RAD, lng };
}

/** A point `eastM` east and `northM` north of `base` (small offsets, local plane). */
export function offset(base: LatLng, eastM: number, northM: number): LatLng {
  return {
    lat: base.lat + northM / 111_195.08,
    lng: base.lng + eastM / (111_195.08 * Math.cos(base.lat * RAD)),
  };
}

/** Places where indexes break: high latitudes, the poles' neighbourhood, the equator, the antimeridian, pentagons. */
export const HARD_PLACES: { name: string; centre: LatLng }[] = [
  { name: 'Evanston campus', centre: { lat: 42.0561, lng: -87.6759 } },
  { name: 'Svalbard 78N', centre: { lat: 78.2232, lng: 15.6267 } },
  { name: '89N', centre: { lat: 89.0, lng: 45.0 } },
  { name: 'equator', centre: { lat: 0.0, lng: 10.0 } },
  { name: 'antimeridian east side', centre: { lat: -16.5, lng: 179.99 } },
  { name: 'antimeridian west side', centre: { lat: 65.5, lng: -179.99 } },
  ...getPentagons(9)
    .slice(0, 4)
    .map((cell, i) => {
      const [lat, lng] = cellToLatLng(cell);
      return { name: `res-9 pentagon ${i}`, centre: { lat, lng } };
    }),
];

/** A point within `maxM` of one of the hard places. */
export function pointNear(maxM: number): fc.Arbitrary<LatLng> {
  return fc
    .record({
      place: fc.constantFrom(...HARD_PLACES),
      bearingDeg: fc.double({ min: 0, max: 360, noNaN: true }),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ place, bearingDeg, fraction }) => destination(place.centre, bearingDeg, maxM * Math.sqrt(fraction)));
}
