import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../api/domain/geo.ts';
import { DEFAULT_INDEX_RES, H3PointIndex, type NearPoint } from '../../../api/domain/h3-index.ts';
import type { LatLng } from '../../../api/domain/types.ts';
import { destination, HARD_PLACES, pointNear } from './sphere-fixtures.ts';

const CAMPUS = { lat: 42.0561, lng: -87.6759 };

function bruteNearest(points: Map<string, LatLng>, q: LatLng, k: number): NearPoint[] {
  return [...points]
    .map(([id, p]) => ({ id, distanceM: distanceM(q, p) }))
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}

/** Same distances in the same order, and no point left out that is strictly nearer than the last one kept. */
function expectSameNeighbours(actual: NearPoint[], expected: NearPoint[]): void {
  expect(actual.map((n) => n.distanceM)).toEqual(expected.map((n) => n.distanceM).map((d) => expect.closeTo(d, 6)));
  expect(new Set(actual.map((n) => n.id)).size).toBe(actual.length);
}

const MAX_POINTS = 1_500;

const cluster = fc.record({
  centre: pointNear(5_000),
  spreadM: fc.constantFrom(50, 300, 1_000, 3_000),
  count: fc.integer({ min: 0, max: MAX_POINTS }),
  seeds: fc.array(fc.tuple(fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: MAX_POINTS, maxLength: MAX_POINTS }),
});

/** A query offset from the cluster centre: bearing in degrees, distance up to 5 km. */
const nearby = fc.tuple(fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: 0, max: 3_000, noNaN: true }));

function scatter(centre: LatLng, spreadM: number, seeds: [number, number][], count: number): Map<string, LatLng> {
  return new Map(seeds.slice(0, count).map(([bearing, f], i) => [`p${i}`, destination(centre, bearing, spreadM * Math.sqrt(f))]));
}

describe('H3PointIndex', () => {
  it('documents res 9 as its default resolution', () => {
    expect(DEFAULT_INDEX_RES).toBe(9);
    expect(new H3PointIndex().res).toBe(9);
  });

  it('inserts, moves and removes points', () => {
    const index = new H3PointIndex();
    index.insert('a', CAMPUS);
    index.insert('b', destination(CAMPUS, 90, 300));
    expect(index.size).toBe(2);
    index.move('a', destination(CAMPUS, 90, 2_000));
    expect(index.nearest(CAMPUS, 1)[0].id).toBe('b');
    expect(index.remove('b')).toBe(true);
    expect(index.remove('b')).toBe(false);
    expect(index.size).toBe(1);
    expect(index.nearest(CAMPUS, 5).map((n) => n.id)).toEqual(['a']);
    expect(index.get('a')?.lng).toBeCloseTo(destination(CAMPUS, 90, 2_000).lng, 12);
  });

  it('refuses a duplicate insert and a move of an unknown id, by code', () => {
    const index = new H3PointIndex();
    index.insert('a', CAMPUS);
    expect(() => index.insert('a', CAMPUS)).toThrow(expect.objectContaining({ code: 'DUPLICATE_POINT' }));
    expect(() => index.move('zz', CAMPUS)).toThrow(expect.objectContaining({ code: 'UNKNOWN_POINT' }));
    expect(() => index.upsert('b', { lat: 95, lng: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_COORDINATE' }));
    expect(() => index.nearest(CAMPUS, -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new H3PointIndex({ res: 16 })).toThrow(expect.objectContaining({ code: 'INVALID_RESOLUTION' }));
  });

  it('answers over a sparse spread of 40 km by scanning, still exactly', () => {
    const points = new Map<string, LatLng>();
    for (let i = 0; i < 500; i++) points.set(`p${i}`, destination(CAMPUS, (i * 137.508) % 360, 40_000 * Math.sqrt((i + 0.5) / 500)));
    const index = new H3PointIndex();
    for (const [id, p] of points) index.insert(id, p);
    expectSameNeighbours(index.nearest(CAMPUS, 20), bruteNearest(points, CAMPUS, 20));
  });

  it('breaks distance ties by id', () => {
    const index = new H3PointIndex();
    for (const id of ['c', 'a', 'b']) index.insert(id, destination(CAMPUS, 0, 100));
    expect(index.nearest(CAMPUS, 2).map((n) => n.id)).toEqual(['a', 'b']);
    expect(index.within(CAMPUS, 200).map((n) => n.id)).toEqual(['a', 'b', 'c']);
  });

  it('applies the filter before counting k', () => {
    const index = new H3PointIndex();
    for (let i = 0; i < 50; i++) index.insert(`v${i}`, destination(CAMPUS, i * 7, 10 + i * 20));
    const odd = index.nearest(CAMPUS, 3, (id) => Number(id.slice(1)) % 2 === 1);
    expect(odd.map((n) => n.id)).toEqual(['v1', 'v3', 'v5']);
  });

  // cellCostInPoints 0 forces the ring walk (small sets would otherwise be scanned whole) and
  // so tests the covered-radius bound itself; the default is tested too.
  it('finds exactly the k nearest everywhere on the sphere (property, against brute force)', () => {
    fc.assert(
      fc.property(cluster, nearby, fc.integer({ min: 1, max: 30 }), fc.constantFrom(8, 9, 10), fc.constantFrom(0, undefined), ({ centre, spreadM, count, seeds }, [bearingDeg, awayM], k, res, cellCostInPoints) => {
        const points = scatter(centre, spreadM, seeds, count);
        const index = new H3PointIndex({ res, cellCostInPoints });
        for (const [id, p] of points) index.insert(id, p);
        for (const q of [centre, destination(centre, bearingDeg, awayM), destination(centre, 45, spreadM / 3)]) {
          expectSameNeighbours(index.nearest(q, k), bruteNearest(points, q, k));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds exactly the points within a radius everywhere on the sphere (property, against brute force)', () => {
    fc.assert(
      fc.property(cluster, fc.double({ min: 0, max: 3_000, noNaN: true }), fc.constantFrom(0, undefined), ({ centre, spreadM, count, seeds }, radiusM, cellCostInPoints) => {
        const points = scatter(centre, spreadM, seeds, count);
        const index = new H3PointIndex({ cellCostInPoints });
        for (const [id, p] of points) index.insert(id, p);
        const expected = [...points].filter(([, p]) => distanceM(centre, p) <= radiusM).map(([id]) => id).sort();
        expect(index.within(centre, radiusM).map((n) => n.id).sort()).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('stays exact while points move (property)', () => {
    fc.assert(
      fc.property(cluster, fc.array(fc.tuple(fc.nat(MAX_POINTS - 1), fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: 0, max: 800, noNaN: true })), { maxLength: 200 }), ({ centre, spreadM, count, seeds }, moves) => {
        const points = scatter(centre, spreadM, seeds, count);
        const index = new H3PointIndex({ cellCostInPoints: 0 });
        for (const [id, p] of points) index.insert(id, p);
        for (const [which, bearing, stepM] of moves) {
          const id = `p${which}`;
          const to = destination(points.get(id) ?? centre, bearing, stepM);
          if (stepM < 40 && points.has(id)) {
            index.remove(id);
            points.delete(id);
          } else {
            index.upsert(id, to);
            points.set(id, to);
          }
        }
        expect(index.size).toBe(points.size);
        expectSameNeighbours(index.nearest(centre, 20), bruteNearest(points, centre, 20));
      }),
      { numRuns: 150 },
    );
  });

  it('is exact on dense clusters at each hard place, including across the antimeridian', () => {
    for (const { centre } of HARD_PLACES) {
      const points = new Map<string, LatLng>();
      for (let i = 0; i < 3_000; i++) points.set(`p${i}`, destination(centre, (i * 137.508) % 360, 3_000 * Math.sqrt((i + 0.5) / 3_000)));
      const index = new H3PointIndex({ res: 10, cellCostInPoints: 0 });
      for (const [id, p] of points) index.insert(id, p);
      for (const bearing of [0, 90, 180, 270]) {
        const q = destination(centre, bearing, 1_500);
        expectSameNeighbours(index.nearest(q, 20), bruteNearest(points, q, 20));
      }
    }
  });
});
