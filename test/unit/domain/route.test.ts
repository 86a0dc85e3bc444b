import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../api/domain/geo.ts';
import { walkingRoute } from '../../../api/domain/route.ts';
import { timeBetweenS } from '../../../api/domain/travel-time.ts';
import { buildWalkingGraph } from '../../../api/domain/walking-graph.ts';

// A square block: two ways from SW to NE, west-then-north is shorter than south-then-east... both
// equal here, so a third, diagonal path makes the shortest one unique.
const sw = { lat: 42.05, lng: -87.68 };
const nw = { lat: 42.052, lng: -87.68 };
const ne = { lat: 42.052, lng: -87.677 };
const se = { lat: 42.05, lng: -87.677 };
const mid = { lat: 42.051, lng: -87.6785 };

const graph = buildWalkingGraph([
  { coords: [sw, nw, ne], highway: 'footway', steps: false },
  { coords: [sw, se, ne], highway: 'footway', steps: false },
  { coords: [sw, mid, ne], highway: 'footway', steps: false },
]);

describe('walkingRoute', () => {
  it('follows the shortest way through the network and agrees with the time model', () => {
    const from = { lat: 42.04995, lng: -87.68005 };
    const to = { lat: 42.05205, lng: -87.67695 };
    const route = walkingRoute(graph, from, to);
    expect(route.onGraph).toBe(true);
    expect(route.path).toContainEqual(mid);
    expect(route.path[0]).toEqual(from);
    expect(route.path.at(-1)).toEqual(to);
    expect(route.timeS).toBeCloseTo(timeBetweenS(graph, from, to), 6);
  });

  it('is a path whose length matches its time at the walking speed', () => {
    const route = walkingRoute(graph, sw, ne);
    const lengthM = route.path.slice(1).reduce((sum, p, i) => sum + distanceM(route.path[i]!, p), 0);
    expect(lengthM / graph.travel.walkSpeedMps).toBeCloseTo(route.timeS, 0);
  });

  it('falls back to the straight line when an end is off the network', () => {
    const far = { lat: 42.1, lng: -87.6 };
    const route = walkingRoute(graph, sw, far);
    expect(route.onGraph).toBe(false);
    expect(route.path).toEqual([sw, far]);
  });
});
