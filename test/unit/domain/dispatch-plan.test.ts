import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertCount, atLeastProbability } from '../../../api/domain/dispatch-backups.ts';
import { planDispatch, type PlanDispatchInput } from '../../../api/domain/dispatch-plan.ts';
import type { AedForPlanning, VolunteerForPlanning } from '../../../api/domain/types.ts';
import { buildWalkingGraph, type WalkwayInput } from '../../../api/domain/walking-graph.ts';
import { offset } from './sphere-fixtures.ts';

const BASE = { lat: 42.0561, lng: -87.6759 };
const AT = new Date('2025-06-10T15:00:00Z'); // Tuesday 10:00 in Chicago
const SPEED = 2.3;
const at = (eastM: number, northM: number) => offset(BASE, eastM, northM);

/** Footways on a 100 m grid from (-800, -800) to (800, 800) m around BASE. */
function gridWalkways(): WalkwayInput[] {
  const ways: WalkwayInput[] = [];
  for (let i = -8; i <= 8; i++) {
    ways.push({ coords: Array.from({ length: 17 }, (_, j) => at((j - 8) * 100, i * 100)), highway: 'footway', steps: false });
    ways.push({ coords: Array.from({ length: 17 }, (_, j) => at(i * 100, (j - 8) * 100)), highway: 'footway', steps: false });
  }
  return ways;
}
const GRAPH = buildWalkingGraph(gridWalkways());

function volunteer(id: string, eastM: number, northM: number, ageS = 10): VolunteerForPlanning {
  return { id, ...at(eastM, northM), positionAtMs: AT.getTime() - ageS * 1000 };
}

function aed(id: string, eastM: number, northM: number, overrides: Partial<AedForPlanning> = {}): AedForPlanning {
  return { id, ...at(eastM, northM), level: 0, indoor: false, access: 'yes', openingHours: '24/7', status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null, ...overrides };
}

function plan(overrides: Partial<PlanDispatchInput>) {
  return planDispatch({ patient: at(0, 0), volunteers: [], aeds: [], graph: GRAPH, at: AT, config: { timezone: 'America/Chicago' }, ...overrides });
}

describe('planDispatch', () => {
  it('sends a lone volunteer through an AED that arrives within the budget', () => {
    const p = plan({ volunteers: [volunteer('v1', 200, 0)], aeds: [aed('a1', 100, 0)] });
    expect(p.aedRunner).toEqual({ volunteerId: 'v1', aedId: 'a1', etaS: expect.closeTo(30 + 100 / SPEED + 30 + 100 / SPEED, 1), etaAtAedS: expect.closeTo(30 + 100 / SPEED, 1) });
    expect(p.cpr).toEqual([]);
    expect(p.withinBudget).toEqual({ cpr: true, aed: true });
    expect(p.reason).toBeUndefined();
  });

  it('sends a lone volunteer straight to the patient when the AED cannot arrive in time', () => {
    const p = plan({ volunteers: [volunteer('v1', 200, 0)], aeds: [aed('a1', 800, 800)] });
    expect(p.aedRunner).toBeNull();
    expect(p.cpr).toEqual([{ volunteerId: 'v1', etaS: expect.closeTo(30 + 200 / SPEED, 1) }]);
    expect(p.withinBudget).toEqual({ cpr: true, aed: false });
  });

  it('gives two volunteers distinct roles', () => {
    const p = plan({ volunteers: [volunteer('v1', 200, 0), volunteer('v2', 0, 300)], aeds: [aed('a1', 100, 0)] });
    expect(p.aedRunner?.volunteerId).toBe('v1');
    expect(p.cpr.map((c) => c.volunteerId)).toEqual(['v2']);
    expect(p.cpr[0].etaS).toBeCloseTo(30 + 300 / SPEED, 1);
  });

  it('plans CPR only and says so when no AED is usable', () => {
    const p = plan({ volunteers: [volunteer('v1', 200, 0)], aeds: [aed('a1', 100, 0, { status: 'out_of_service' }), aed('a2', 0, 100, { openingHours: 'Mo-Fr 12:00-13:00' })] });
    expect(p.aedRunner).toBeNull();
    expect(p.cpr.map((c) => c.volunteerId)).toEqual(['v1']);
    expect(p.nearestAeds).toEqual([]);
    expect(p.reason).toBe('NO_USABLE_AED');
  });

  it('sends no runner to an AED whose room locks within the time budget', () => {
    const closing = new Date('2025-06-10T22:58:00Z'); // Tuesday 17:58 in Chicago
    const v1 = { ...volunteer('v1', 200, 0), positionAtMs: closing.getTime() - 10_000 };
    const p = plan({ at: closing, volunteers: [v1], aeds: [aed('a1', 100, 0, { openingHours: 'Mo-Fr 08:00-18:00' }), aed('a2', 150, 0)] });
    expect(p.aedRunner).toMatchObject({ volunteerId: 'v1', aedId: 'a2' });
    expect(p.nearestAeds.map((a) => a.aedId)).toEqual(['a2']);
  });

  it('still lists AEDs for the bystander when no volunteer is on duty', () => {
    const p = plan({ aeds: [aed('a1', 100, 0), aed('a2', 0, 300)] });
    expect(p.reason).toBe('NO_VOLUNTEERS');
    expect(p.cpr).toEqual([]);
    expect(p.nearestAeds).toEqual([
      { aedId: 'a1', walkTimeS: expect.closeTo((2 * 100) / SPEED + 30, 1), distanceM: expect.closeTo(100, 1) },
      { aedId: 'a2', walkTimeS: expect.closeTo((2 * 300) / SPEED + 30, 1), distanceM: expect.closeTo(300, 1) },
    ]);
  });

  it('drops volunteers whose position is stale', () => {
    const p = plan({ volunteers: [volunteer('v1', 100, 0, 121)], aeds: [aed('a1', 100, 0)] });
    expect(p.reason).toBe('NO_VOLUNTEERS');
  });

  it('still sends the best when nobody can make it in time, with honest ETAs', () => {
    const p = plan({ volunteers: [volunteer('v1', 3_000, 0), volunteer('v2', 0, 3_500)], aeds: [aed('a1', 100, 0)] });
    expect(p.reason).toBe('NOBODY_IN_TIME');
    expect(p.withinBudget).toEqual({ cpr: false, aed: false });
    expect(p.aedRunner?.volunteerId).toBe('v1');
    expect(p.aedRunner!.etaS).toBeGreaterThan(240);
    expect(p.cpr[0]).toEqual({ volunteerId: 'v2', etaS: expect.any(Number) });
  });

  it('breaks exact ties by id, whatever the input order', () => {
    const volunteers = [volunteer('v-b', 0, 200), volunteer('v-c', 0, 300), volunteer('v-a', 0, 200)];
    const aeds = [aed('a2', 0, 100), aed('a1', 0, 100)];
    const forward = plan({ volunteers, aeds });
    const backward = plan({ volunteers: [...volunteers].reverse(), aeds: [...aeds].reverse() });
    expect(backward).toEqual(forward);
    expect(forward.aedRunner).toMatchObject({ volunteerId: 'v-a', aedId: 'a1' });
    expect(forward.cpr[0].volunteerId).toBe('v-b');
  });

  it('gives an AED to one runner only and never a runner a CPR role', () => {
    const volunteers = [volunteer('v1', 100, 10), volunteer('v2', 110, 0), volunteer('v3', 90, 0), volunteer('v4', 300, 0)];
    const p = plan({ volunteers, aeds: [aed('a1', 100, 0)], config: { timezone: 'America/Chicago', cprResponders: 2 } });
    expect(p.aedRunner?.aedId).toBe('a1');
    expect(p.cpr).toHaveLength(2);
    expect(p.cpr.map((c) => c.volunteerId)).not.toContain(p.aedRunner!.volunteerId);
  });

  it('skips an AED claimed by another incident but keeps one this incident claimed', () => {
    const aeds = [aed('a1', 100, 0, { claimedByIncidentId: 'other' }), aed('a2', 200, 100)];
    expect(plan({ volunteers: [volunteer('v1', 200, 0)], aeds }).aedRunner?.aedId).toBe('a2');
    expect(plan({ volunteers: [volunteer('v1', 200, 0)], aeds: [aed('a1', 100, 0, { claimedByIncidentId: 'inc-7' })], incidentId: 'inc-7' }).aedRunner?.aedId).toBe('a1');
  });

  it('adds stairs for the patient and retrieval time for an indoor AED upstairs', () => {
    const p = plan({ patient: { ...at(0, 0), level: 3 }, volunteers: [volunteer('v1', 200, 0), volunteer('v2', 0, 100)], aeds: [aed('a1', 100, 0, { indoor: true, level: 2 })] });
    expect(p.cpr[0].etaS).toBeCloseTo(30 + 100 / SPEED + 45, 1);
    expect(p.aedRunner?.etaS).toBeCloseTo(30 + 100 / SPEED + 30 + 30 + 60 + 100 / SPEED + 45, 1);
  });

  it('alerts backups, alternating roles, and more of them as acceptance falls', () => {
    const volunteers = Array.from({ length: 14 }, (_, i) => volunteer(`v${String(i).padStart(2, '0')}`, 100 * (i % 5), 100 * Math.floor(i / 5)));
    const counts = [0.85, 0.6, 0.4].map((acceptProbability) => {
      const p = plan({ volunteers, aeds: [aed('a1', 100, 0), aed('a2', 0, 100)], config: { timezone: 'America/Chicago', acceptProbability, maxAlerted: 14 } });
      expect(p.backups[0]?.role).toBe('aed');
      expect(p.backups[1]?.role).toBe('cpr');
      return p.backups.length;
    });
    expect(counts).toEqual([alertCount(2, 0.85, 0.95, 14, 14) - 2, alertCount(2, 0.6, 0.95, 14, 14) - 2, alertCount(2, 0.4, 0.95, 14, 14) - 2]);
    expect(counts[1]).toBe(4);
    expect(counts[2]).toBeGreaterThan(counts[0]);
  });

  it('refuses a graph built with another speed, by code', () => {
    expect(() => plan({ config: { walkSpeedMps: 1.4 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('picks the same roles with and without pruning AEDs by lower bound (property)', () => {
    const spot = fc.tuple(fc.integer({ min: -900, max: 900 }), fc.integer({ min: -900, max: 900 }));
    fc.assert(
      fc.property(fc.array(spot, { minLength: 1, maxLength: 6 }), fc.array(spot, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 2 }), (vs, as, cprResponders) => {
        const input = { volunteers: vs.map(([e, n], i) => volunteer(`v${i}`, e, n)), aeds: as.map(([e, n], i) => aed(`a${i}`, e, n, { indoor: i % 2 === 0 })) };
        const pruned = plan({ ...input, config: { timezone: 'America/Chicago', cprResponders, minAedCandidates: 1 } });
        const full = plan({ ...input, config: { timezone: 'America/Chicago', cprResponders, minAedCandidates: 100 } });
        expect(pruned.aedRunner).toEqual(full.aedRunner);
        expect(pruned.cpr).toEqual(full.cpr);
      }),
      { numRuns: 100 },
    );
  });
});

describe('alertCount', () => {
  it('alerts 4 for one role and 6 for two at 60 % acceptance and a 95 % target', () => {
    expect(alertCount(1, 0.6, 0.95, 10, 20)).toBe(4);
    expect(alertCount(2, 0.6, 0.95, 10, 20)).toBe(6);
  });

  it('is capped by maxAlerted and by who is available, never below the roles', () => {
    expect(alertCount(2, 0.1, 0.95, 5, 20)).toBe(5);
    expect(alertCount(2, 0.6, 0.95, 10, 3)).toBe(3);
    expect(alertCount(3, 0.6, 0.95, 2, 3)).toBe(3);
  });
});

describe('atLeastProbability', () => {
  it('matches the binomial tail', () => {
    expect(atLeastProbability(5, 2, 0.6)).toBeCloseTo(1 - 0.4 ** 5 - 5 * 0.6 * 0.4 ** 4, 12);
    expect(atLeastProbability(3, 0, 0.6)).toBe(1);
    expect(atLeastProbability(1, 2, 0.6)).toBe(0);
    expect(atLeastProbability(2, 2, 1)).toBe(1);
  });
});
