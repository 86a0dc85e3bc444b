import { describe, expect, it } from 'vitest';
import { prepareSimulationCampus } from '../../../api/domain/simulation/campus.ts';
import { campusEdgeSampler, generateDrill, zonedInstant } from '../../../api/domain/simulation/drill.ts';
import { resolveSimulationParams } from '../../../api/domain/simulation/params.ts';
import { runSimulation } from '../../../api/domain/simulation/run.ts';
import { isPointInPolygon } from '../../../api/import/planar-geometry.ts';
import { distanceM } from '../../../api/domain/geo.ts';
import { snapToGraph } from '../../../api/domain/travel-time.ts';
import { aed, at, grid } from './helpers.ts';

// The grid with a 60 m x 40 m building in one block, and an AED open only in office hours.
const building = { name: 'Hall', polygon: [[at(120, 120), at(180, 120), at(180, 160), at(120, 160), at(120, 120)]], levels: 3 };
const campus = prepareSimulationCampus({
  walkways: grid(6),
  buildings: [building],
  aeds: [aed('office', 300, 300, { openingHours: 'Mo-Fr 08:00-18:00' }), aed('always', 0, 0)],
  timezone: 'America/Chicago',
  bounds: { minLat: at(0, 0).lat, minLng: at(0, 0).lng, maxLat: at(600, 600).lat, maxLng: at(600, 600).lng },
});
const sampler = campusEdgeSampler(campus);

describe('generateDrill', () => {
  const params = resolveSimulationParams({ volunteers: 12, indoorShare: 0.5 });

  it('is the same drill for the same seed and index', () => {
    expect(generateDrill(campus, sampler, params, 42, 3)).toEqual(generateDrill(campus, sampler, params, 42, 3));
    expect(generateDrill(campus, sampler, params, 42, 3)).not.toEqual(generateDrill(campus, sampler, params, 42, 4));
  });

  it('keeps each volunteer\'s draws when the number of volunteers changes (common random numbers)', () => {
    const few = generateDrill(campus, sampler, resolveSimulationParams({ volunteers: 5 }), 42, 0);
    const many = generateDrill(campus, sampler, resolveSimulationParams({ volunteers: 30 }), 42, 0);
    expect(many.volunteers.slice(0, 5)).toEqual(few.volunteers);
    expect(many.patient).toEqual(few.patient);
  });

  it('puts collapses inside the building on one of its floors, or on a walkway', () => {
    const drills = Array.from({ length: 60 }, (_, i) => generateDrill(campus, sampler, params, 7, i));
    const indoor = drills.filter((d) => d.patient.kind === 'building');
    expect(indoor.length).toBeGreaterThan(15);
    expect(drills.length - indoor.length).toBeGreaterThan(15);
    for (const d of indoor) {
      expect(isPointInPolygon(d.patient, building.polygon)).toBe(true);
      expect([0, 1, 2]).toContain(d.patient.level);
    }
    for (const d of drills.filter((x) => x.patient.kind === 'path')) expect(snapToGraph(campus.graph, d.patient)!.offsetM).toBeLessThan(0.5);
  });

  it('places volunteers on the walkways, reported at most one interval of strolling behind, with clamped speeds', () => {
    const drill = generateDrill(campus, sampler, params, 11, 0);
    for (const v of drill.volunteers) {
      expect(snapToGraph(campus.graph, v.position)!.offsetM).toBeLessThan(0.5);
      expect(distanceM(v.position, v.reported)).toBeLessThanOrEqual(params.strollSpeedMps * params.positionIntervalS + 0.5);
      expect(v.speedMps).toBeGreaterThanOrEqual(params.minSpeedMps);
      expect(v.speedMps).toBeLessThanOrEqual(params.maxSpeedMps);
    }
  });

  it('reads the hour on the campus wall clock', () => {
    // 2026-04-15 is a Wednesday; Evanston is on CDT (UTC-5).
    expect(zonedInstant('2026-04-13', 2, 14, 30, 'America/Chicago').toISOString()).toBe('2026-04-15T19:30:00.000Z');
    const drill = generateDrill(campus, sampler, resolveSimulationParams({ hour: 3 }), 1, 0);
    expect(drill.hour).toBe(3);
  });
});

describe('runSimulation', () => {
  it('is deterministic with a seed and differs with another', () => {
    const run = (seed: number) => runSimulation({ campus, drills: 8, seed, params: { volunteers: 10 } });
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43).strategies[0].outcomes).not.toEqual(a.strategies[0].outcomes);
    expect(a.strategies.map((s) => s.id)).toEqual(['ours', 'ours-live', 'radius-400m', 'nearest-3', 'thirds-1km', 'first-4-fetch']);
  });

  it('routes to the office-hours AED only when it is open', () => {
    const night = runSimulation({ campus, drills: 4, seed: 1, params: { hour: 2, volunteers: 4 } });
    const day = runSimulation({ campus, drills: 4, seed: 1, params: { hour: 10, volunteers: 4, weekStartsOn: '2026-04-13' } });
    expect(night.drills.every((d) => d.usableAeds === 1)).toBe(true);
    // Drill days fall on any day of the week: on weekdays at 10:00 both AEDs are usable.
    expect(day.drills.some((d) => d.usableAeds === 2)).toBe(true);
  });
});
