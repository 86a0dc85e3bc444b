import fc from 'fast-check';
import { cellToBoundary, cellToLatLng, gridDiskDistances, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { distanceM, EARTH_RADIUS_M } from '../../../api/domain/geo.ts';
import { cellScaleM, diskCoverRadiusM, ringsToCover } from '../../../api/domain/h3-cover.ts';
import type { LatLng } from '../../../api/domain/types.ts';
import { pointNear } from './sphere-fixtures.ts';

const RAD = Math.PI / 180;

function unit({ lat, lng }: LatLng): [number, number, number] {
  return [Math.cos(lat * RAD) * Math.cos(lng * RAD), Math.cos(lat * RAD) * Math.sin(lng * RAD), Math.sin(lat * RAD)];
}

const dot = (a: number[], b: number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Exact great-circle distance from q to the nearest point of the given cells' boundaries. In the
 * gnomonic projection centred at q, H3 cell edges (great-circle arcs) are straight segments and
 * the distance from q grows with the planar radius, so the nearest point is a planar projection.
 */
function distanceToCellsM(q: LatLng, cells: string[]): number {
  const o = unit(q);
  const east = [-Math.sin(q.lng * RAD), Math.cos(q.lng * RAD), 0];
  const north = [-Math.sin(q.lat * RAD) * Math.cos(q.lng * RAD), -Math.sin(q.lat * RAD) * Math.sin(q.lng * RAD), Math.cos(q.lat * RAD)];
  const project = (p: LatLng): [number, number] => {
    const v = unit(p);
    const c = dot(v, o);
    return [dot(v, east) / c, dot(v, north) / c];
  };
  let best = Infinity;
  for (const cell of cells) {
    const ring = cellToBoundary(cell).map(([lat, lng]) => project({ lat, lng }));
    for (let i = 0; i < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[(i + 1) % ring.length];
      const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, -(ax * (bx - ax) + ay * (by - ay)) / lengthSquared));
      best = Math.min(best, Math.hypot(ax + t * (bx - ax), ay + t * (by - ay)));
    }
  }
  return EARTH_RADIUS_M * Math.atan(best);
}

describe('diskCoverRadiusM', () => {
  it('never exceeds the exact distance to the cells just outside the disk (property, all over the sphere)', () => {
    fc.assert(
      fc.property(pointNear(20_000), fc.integer({ min: 5, max: 12 }), fc.integer({ min: 0, max: 12 }), (q, res, k) => {
        const origin = latLngToCell(q.lat, q.lng, res);
        const [lat, lng] = cellToLatLng(origin);
        const coverM = diskCoverRadiusM(k, cellScaleM(origin), distanceM(q, { lat, lng }));
        const outside = gridDiskDistances(origin, k + 1)[k + 1];
        expect(distanceToCellsM(q, outside)).toBeGreaterThanOrEqual(coverM);
      }),
      { numRuns: 600 },
    );
  });

  it('grows by 1.5 safety-scaled cell scales per ring', () => {
    expect(diskCoverRadiusM(2, 100, 0) - diskCoverRadiusM(1, 100, 0)).toBeCloseTo(0.8 * 1.5 * 100, 9);
    expect(diskCoverRadiusM(0, 100, 60)).toBe(0);
  });
});

describe('ringsToCover', () => {
  it('is the smallest k whose disk covers the radius', () => {
    for (const radiusM of [0, 10, 99.9, 250, 1_000]) {
      const k = ringsToCover(radiusM, 75, 20);
      expect(diskCoverRadiusM(k, 75, 20)).toBeGreaterThanOrEqual(radiusM);
      if (k > 0) expect(diskCoverRadiusM(k - 1, 75, 20)).toBeLessThan(radiusM);
    }
  });
});
