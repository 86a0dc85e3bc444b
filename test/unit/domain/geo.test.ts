import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { assertLatLng, assertRes, boxAround, cellsWithin, distanceM } from '../../../api/domain/geo.ts';
import { destination, HARD_PLACES, pointNear } from './sphere-fixtures.ts';

const NORRIS = { lat: 42.053298, lng: -87.673101 };
const TECH = { lat: 42.057825, lng: -87.676244 };

describe('distanceM', () => {
  it('measures a known campus distance', () => {
    // Norris University Center to the Technological Institute entrance; reference value from an independent Python haversine.
    expect(distanceM(NORRIS, TECH)).toBeCloseTo(566.328, 2);
  });

  it('gives a quarter of the meridian from the equator to the pole', () => {
    expect(distanceM({ lat: 0, lng: 0 }, { lat: 90, lng: 0 })).toBeCloseTo((Math.PI / 2) * 6371008.8, 3);
  });

  it('is short across the antimeridian', () => {
    expect(distanceM({ lat: 0, lng: 179.999 }, { lat: 0, lng: -179.999 })).toBeCloseTo(222.39, 1);
  });

  it('is symmetric and zero at the same point', () => {
    expect(distanceM(TECH, TECH)).toBe(0);
    expect(distanceM(NORRIS, TECH)).toBe(distanceM(TECH, NORRIS));
  });
});

describe('assertLatLng', () => {
  it('accepts the corners of the valid range', () => {
    expect(() => assertLatLng({ lat: -90, lng: -180 })).not.toThrow();
    expect(() => assertLatLng({ lat: 90, lng: 180 })).not.toThrow();
  });

  it.each([
    { lat: 91, lng: 0 },
    { lat: 0, lng: 180.5 },
    { lat: Number.NaN, lng: 0 },
    { lat: 0, lng: Number.POSITIVE_INFINITY },
  ])('rejects %o with INVALID_COORDINATE', (point) => {
    expect(() => assertLatLng(point)).toThrow(expect.objectContaining({ code: 'INVALID_COORDINATE', name: 'InvalidCoordinateError' }));
  });
});

describe('assertRes', () => {
  it('rejects resolutions outside 0-15 with INVALID_RESOLUTION', () => {
    for (const res of [-1, 16, 9.5]) expect(() => assertRes(res)).toThrow(expect.objectContaining({ code: 'INVALID_RESOLUTION' }));
  });
});

describe('cellsWithin', () => {
  it('puts a known campus point in its known cells', () => {
    // Known answers from h3-js v4 for Norris University Center's area.
    expect(latLngToCell(42.0565, -87.6753, 10)).toBe('8a2664da378ffff');
    expect(latLngToCell(42.0565, -87.6753, 9)).toBe('892664da37bffff');
    expect(cellsWithin({ lat: 42.0565, lng: -87.6753 }, 0, 9)[0]).toBe('892664da37bffff');
  });

  it('returns the origin cell alone for a tiny radius at the cell centre', () => {
    expect(cellsWithin({ lat: 42.05646, lng: -87.67526 }, 1, 9)).toContain('892664da37bffff');
  });

  it('covers every point of the circle, everywhere on the sphere (property, against brute force)', () => {
    fc.assert(
      fc.property(
        pointNear(2_000),
        fc.integer({ min: 7, max: 11 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.array(fc.record({ bearingDeg: fc.double({ min: 0, max: 360, noNaN: true }), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 20, maxLength: 40 }),
        (centre, res, radiusScale, samples) => {
          // Radii from 0 to ~20 edge lengths of the resolution (res 7 edge ~1.4 km, res 11 ~29 m).
          const radiusM = radiusScale * 1_400 * 2.65 ** (7 - res);
          const cells = new Set(cellsWithin(centre, radiusM, res));
          const probes = [...samples.map((s) => destination(centre, s.bearingDeg, radiusM * s.fraction)), ...samples.map((s) => destination(centre, s.bearingDeg, radiusM))];
          for (const p of probes) expect(cells.has(latLngToCell(p.lat, p.lng, res))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('covers the circle around each hard place on a dense ring of probes', () => {
    for (const { centre } of HARD_PLACES) {
      const cells = new Set(cellsWithin(centre, 500, 10));
      for (let bearing = 0; bearing < 360; bearing += 2) {
        const p = destination(centre, bearing, 500);
        expect(cells.has(latLngToCell(p.lat, p.lng, 10))).toBe(true);
      }
    }
  });

  it('rejects a negative radius with INVALID_ARGUMENT', () => {
    expect(() => cellsWithin(NORRIS, -1, 9)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('boxAround', () => {
  it('holds every point within the radius, at hard places too', () => {
    fc.assert(
      fc.property(
        pointNear(2_000),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (centre, radiusM, bearingDeg, fraction) => {
          const inside = destination(centre, bearingDeg, radiusM * fraction);
          // destination() may step across the antimeridian: compare on the sphere, not the numbers.
          if (distanceM(centre, inside) > radiusM) return;
          const box = boxAround(centre, radiusM);
          expect(inside.lat).toBeGreaterThanOrEqual(box.minLat);
          expect(inside.lat).toBeLessThanOrEqual(box.maxLat);
          if (box.lng) {
            expect(inside.lng).toBeGreaterThanOrEqual(box.lng.min);
            expect(inside.lng).toBeLessThanOrEqual(box.lng.max);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('is tight: a campus radius spans about as many degrees as it should', () => {
    const box = boxAround({ lat: 42.0561, lng: -87.6759 }, 336);
    expect((box.maxLat - box.minLat) * 111_195).toBeCloseTo(672, -1);
    expect((box.lng!.max - box.lng!.min) * 111_195 * Math.cos((42.0561 * Math.PI) / 180)).toBeCloseTo(672, -1);
  });

  it('drops longitude bounds across the antimeridian and around a pole', () => {
    expect(boxAround({ lat: -16.5, lng: 179.999 }, 1_000).lng).toBeNull();
    expect(boxAround({ lat: 89.999, lng: 45 }, 1_000).lng).toBeNull();
    expect(() => boxAround({ lat: 0, lng: 0 }, -1)).toThrow();
  });
});
