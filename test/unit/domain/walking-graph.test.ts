import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../api/domain/geo.ts';
import { fallbackTimeS, floorTimeS, snapToGraph, timeBetweenS, timesFrom, travelTimeS } from '../../../api/domain/travel-time.ts';
import { buildWalkingGraph, DEFAULT_TRAVEL_OPTIONS, type WalkwayInput } from '../../../api/domain/walking-graph.ts';
import { offset } from './sphere-fixtures.ts';

const BASE = { lat: 42.0561, lng: -87.6759 };
const SPEED = DEFAULT_TRAVEL_OPTIONS.walkSpeedMps;
const at = (eastM: number, northM: number) => offset(BASE, eastM, northM);
const footway = (...points: [number, number][]): WalkwayInput => ({ coords: points.map(([e, n]) => at(e, n)), highway: 'footway', steps: false });

describe('buildWalkingGraph', () => {
  it('joins ways at shared coordinates and numbers components by size', () => {
    const graph = buildWalkingGraph([footway([0, 0], [100, 0]), footway([100, 0], [100, 50]), footway([500, 500], [520, 500])]);
    expect(graph.nodeCount).toBe(5);
    expect(graph.edgeCount).toBe(3);
    expect(Array.from(graph.componentSizes)).toEqual([3, 2]);
    expect(graph.component[0]).toBe(0);
  });

  it('joins ways at shared OSM node ids even when coordinates differ in the last digit', () => {
    const a: WalkwayInput = { ...footway([0, 0], [100, 0]), nodeIds: ['1', '2'] };
    const b: WalkwayInput = { coords: [at(100.00001, 0), at(100, 80)], nodeIds: ['2', '3'], highway: 'path', steps: false };
    const graph = buildWalkingGraph([a, b]);
    expect(graph.nodeCount).toBe(3);
    expect(graph.componentSizes[0]).toBe(3);
  });

  it('costs edges in seconds at the configured speed, steps at half speed', () => {
    const graph = buildWalkingGraph([footway([0, 0], [100, 0]), { ...footway([100, 0], [100, 30]), highway: 'steps', steps: true }]);
    expect(graph.edgeCostS[0]).toBeCloseTo(100 / SPEED, 3);
    expect(graph.edgeCostS[1]).toBeCloseTo(30 / (SPEED * 0.5), 3);
  });

  it('leaves out motorways', () => {
    expect(buildWalkingGraph([{ ...footway([0, 0], [100, 0]), highway: 'motorway' }]).edgeCount).toBe(0);
  });

  it('rejects a detour factor below 1 by code', () => {
    expect(() => buildWalkingGraph([], { detourFactor: 0.9 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('snapToGraph', () => {
  it('projects onto the nearest edge and reports the off-graph distance', () => {
    const graph = buildWalkingGraph([footway([0, 0], [100, 0]), footway([0, 40], [100, 40])]);
    const snap = snapToGraph(graph, at(30, 12));
    expect(snap?.edge).toBe(0);
    expect(snap?.t).toBeCloseTo(0.3, 3);
    expect(snap?.offsetM).toBeCloseTo(12, 1);
    expect(distanceM(snap!.point, at(30, 0))).toBeLessThan(0.05);
  });

  it('is null beyond maxSnapM', () => {
    const graph = buildWalkingGraph([footway([0, 0], [100, 0])]);
    expect(snapToGraph(graph, at(50, 151))).toBeNull();
    expect(snapToGraph(graph, at(50, 149))).not.toBeNull();
  });

  it('answers points off the graph’s box the same as a search would, in every direction', () => {
    const graph = buildWalkingGraph([footway([0, 0], [100, 0]), footway([100, 0], [100, 60])]);
    // Just inside and just outside maxSnapM (150 m) east, west, south, and past a corner.
    expect(snapToGraph(graph, at(249, 30))?.offsetM).toBeCloseTo(149, 0);
    expect(snapToGraph(graph, at(251, 30))).toBeNull();
    expect(snapToGraph(graph, at(-149, 0))?.offsetM).toBeCloseTo(149, 0);
    expect(snapToGraph(graph, at(-151, 0))).toBeNull();
    expect(snapToGraph(graph, at(50, -149))).not.toBeNull();
    expect(snapToGraph(graph, at(50, -151))).toBeNull();
    expect(snapToGraph(graph, at(200, 140))?.offsetM).toBeCloseTo(Math.hypot(100, 80), 0);
    expect(snapToGraph(graph, at(220, 160))).toBeNull();
    expect(snapToGraph(graph, at(5_000, 5_000))).toBeNull();
  });
});

describe('travelTimeS', () => {
  // Two parallel paths 20 m apart with a fence between them (no edge), joined only at the east end.
  const buildFenced = () => buildWalkingGraph([footway([0, 0], [100, 0]), footway([100, 0], [100, 20]), footway([100, 20], [0, 20])]);
  const fenced = buildFenced();

  it('goes around the fence instead of through it', () => {
    const timeS = timeBetweenS(fenced, at(10, 0), at(10, 20));
    expect(timeS).toBeCloseTo((90 + 20 + 90) / SPEED, 0);
    expect(timeS).toBeGreaterThan(fallbackTimeS(fenced.travel, at(10, 0), at(10, 20)));
  });

  it('walks along one edge directly between two points on it', () => {
    expect(timeBetweenS(fenced, at(20, 0), at(60, 0))).toBeCloseTo(40 / SPEED, 1);
  });

  it('adds the off-graph legs at the detour factor', () => {
    const timeS = timeBetweenS(fenced, at(10, -10), at(90, 0));
    expect(timeS).toBeCloseTo((10 * 1.5 + 80) / SPEED, 0);
  });

  it('takes stairs at half speed', () => {
    const stairs = buildWalkingGraph([{ ...footway([0, 0], [0, 40]), highway: 'steps', steps: true }]);
    expect(timeBetweenS(stairs, at(0, 0), at(0, 40))).toBeCloseTo(40 / (SPEED * 0.5), 1);
  });

  it('falls back to straight line x 1.5 off the graph', () => {
    const far = at(600, 600);
    expect(timeBetweenS(fenced, at(10, 0), far)).toBeCloseTo((distanceM(at(10, 0), far) * 1.5) / SPEED, 6);
  });

  it('falls back to straight line x 1.5 between disconnected pieces of network', () => {
    const split = buildWalkingGraph([footway([0, 0], [100, 0]), footway([0, 60], [100, 60])]);
    expect(timeBetweenS(split, at(50, 0), at(50, 60))).toBeCloseTo((60 * 1.5) / SPEED, 1);
  });

  it('is the same in both directions', () => {
    expect(timeBetweenS(fenced, at(10, 0), at(30, 25))).toBeCloseTo(timeBetweenS(fenced, at(30, 25), at(10, 0)), 6);
  });

  it('reports Infinity beyond the maxTimeS the times were bounded by', () => {
    const graph = buildFenced(); // nothing searched on it yet
    const bounded = timesFrom(graph, at(10, 0), { maxTimeS: 30 });
    expect(travelTimeS(graph, bounded, at(10, 20))).toBe(Infinity);
    expect(travelTimeS(graph, bounded, at(50, 0))).toBeCloseTo(40 / SPEED, 1);
  });

  it('answers a bounded search from a kept search that went farther, and searches again for a wider bound', () => {
    const graph = buildFenced();
    const full = timesFrom(graph, at(10, 0));
    expect(timesFrom(graph, at(10, 0), { maxTimeS: 30 })).toBe(full);
    const narrow = timesFrom(graph, at(50, 0), { maxTimeS: 30 });
    const wider = timesFrom(graph, at(50, 0), { maxTimeS: 300 });
    expect(wider).not.toBe(narrow);
    expect(timesFrom(graph, at(50, 0), { maxTimeS: 100 })).toBe(wider);
    expect(travelTimeS(graph, wider, at(10, 20))).toBeLessThan(Infinity);
  });

  it('works on a graph with no edges by falling back', () => {
    const empty = buildWalkingGraph([]);
    expect(timeBetweenS(empty, at(0, 0), at(100, 0))).toBeCloseTo((100 * 1.5) / SPEED, 1);
  });
});

describe('floorTimeS', () => {
  it('counts floors up and down from the ground, zero when unknown', () => {
    expect(floorTimeS(3, 15)).toBe(45);
    expect(floorTimeS(-2, 15)).toBe(30);
    expect(floorTimeS(0.5, 15)).toBe(7.5);
    expect(floorTimeS(null, 15)).toBe(0);
    expect(floorTimeS(undefined, 15)).toBe(0);
  });
});
