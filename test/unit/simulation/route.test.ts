import { describe, expect, it } from 'vitest';
import { volunteersNear } from '../../../api/domain/simulation/drill.ts';
import { resolveSimulationParams } from '../../../api/domain/simulation/params.ts';
import { resolveDispatchConfig } from '../../../api/domain/config.ts';
import { responderTrip, routeBetween, Trip } from '../../../api/domain/simulation/route.ts';
import { polylineLengthM } from '../../../api/domain/simulation/sampling.ts';
import { distanceM } from '../../../api/domain/geo.ts';
import { snapToGraph } from '../../../api/domain/travel-time.ts';
import { buildWalkingGraph } from '../../../api/domain/walking-graph.ts';
import { at, grid } from './helpers.ts';

const graph = buildWalkingGraph(grid(4));

describe('routeBetween', () => {
  it('follows the streets: corner to corner of a block is two sides, not the diagonal', () => {
    const route = routeBetween(graph, at(100, 100), at(200, 200));
    expect(polylineLengthM(route)).toBeCloseTo(200, 0);
    expect(route[0]).toEqual(at(100, 100));
    expect(route[route.length - 1]).toEqual(at(200, 200));
  });

  it('walks along one street from a mid-block point to another', () => {
    expect(polylineLengthM(routeBetween(graph, at(30, 0), at(370, 0)))).toBeCloseTo(340, 0);
    expect(polylineLengthM(routeBetween(graph, at(30, 0), at(70, 0)))).toBeCloseTo(40, 0);
  });

  it('goes straight when an end is off the network', () => {
    expect(routeBetween(graph, at(100, 100), at(2000, 2000))).toEqual([at(100, 100), at(2000, 2000)]);
  });
});

describe('Trip', () => {
  it('walks its legs at its speed, stops between them, and ends where the last leg ends', () => {
    const legs = [[at(0, 0), at(100, 0)], [at(100, 0), at(100, 100)]];
    const trip = new Trip(legs, 2, 30, 15);
    expect(trip.durationS).toBeCloseTo(50 + 30 + 50 + 15, 0);
    expect(distanceM(trip.positionAt(25), at(50, 0))).toBeLessThan(0.5);
    expect(distanceM(trip.positionAt(60), at(100, 0))).toBeLessThan(0.5); // taking the AED out
    expect(distanceM(trip.positionAt(105), at(100, 50))).toBeLessThan(0.5);
    expect(trip.positionAt(1_000)).toEqual(at(100, 100));
  });
});

describe('volunteersNear', () => {
  it('places drill volunteers on the walkways within the radius, the same for the same seed', () => {
    const params = resolveSimulationParams();
    const a = volunteersNear(graph, at(200, 200), 150, 5, params, 9);
    expect(volunteersNear(graph, at(200, 200), 150, 5, params, 9)).toEqual(a);
    expect(a.map((v) => v.id)).toEqual(['1', '2', '3', '4', '5']);
    for (const v of a) {
      expect(distanceM(at(200, 200), v.position)).toBeLessThanOrEqual(150);
      expect(snapToGraph(graph, v.position)!.offsetM).toBeLessThan(0.5);
    }
  });
});

describe('responderTrip', () => {
  it('times a runner as the planner does: walk to the AED, retrieval with its floors, walk to the patient, stairs', () => {
    const config = resolveDispatchConfig();
    const patient = { ...at(200, 200), level: 1 };
    const trip = responderTrip(graph, config, at(0, 200), patient, 2, { ...at(100, 200), level: 2, indoor: true });
    // 100 m + 100 m at 2 m/s, 30 s cabinet + 30 s indoor + 2 x 2 floors x 15 s, 1 floor x 15 s to the patient.
    expect(trip.durationS).toBeCloseTo(100 + 30 + 30 + 60 + 15, 0);
    expect(responderTrip(graph, config, at(0, 200), patient, 2, null).durationS).toBeCloseTo(100 + 15, 0);
  });
});
