import { describe, expect, it } from 'vitest';
import type { Aed } from '../../../api/db/aed-repository.ts';
import { cellOf, DB_H3_RES } from '../../../api/db/h3-column.ts';
import { resolveDispatchConfig } from '../../../api/domain/config.ts';
import { cellsWithin } from '../../../api/domain/geo.ts';
import { createMatchingService, type MatchingDeps } from '../../../api/services/matching.ts';

const PATIENT = { lat: 42.0565, lng: -87.6753, level: null };
const north = (m: number) => ({ lat: PATIENT.lat + m / 111_195, lng: PATIENT.lng });

function aedAt(id: string, at: { lat: number; lng: number }): Aed {
  return {
    id, campusId: null, h3Cell: cellOf(at), claimedByIncidentId: null, createdAt: new Date(0), updatedAt: new Date(0),
    ...at, osmId: null, externalRef: id, source: 'test', access: 'yes', indoor: false, level: null, openingHours: '24/7',
    location: null, locationZh: null, locationEn: null, status: 'in_service', padExpiresOn: null, batteryExpiresOn: null,
  } as unknown as Aed;
}

/** A planner over fake repositories that counts the AED reads it makes. */
function planner(aeds: Aed[]) {
  const reads: string[][] = [];
  const deps = {
    campuses: { listCampuses: async () => [] },
    aeds: {
      findInCells: async (cells: readonly string[]) => {
        reads.push([...cells]);
        await new Promise((r) => setTimeout(r, 5)); // a read takes a while: the second caller arrives meanwhile
        return aeds.filter((a) => cells.includes(a.h3Cell));
      },
    },
    volunteers: {
      listAvailableInCells: async () => [{ userId: 'v1', ...north(30), level: null, positionAt: new Date(), verification: 'verified', certificateExpiresOn: null }],
      listAvailableByIds: async () => [],
    },
    incidents: {},
    livePositions: () => new Map(),
    liveNear: () => [],
  } as unknown as MatchingDeps;
  return { service: createMatchingService(deps), reads };
}

// An SOS asks for the plan's AEDs (within the budget's reach) and the bystander's nearest (within a
// kilometre) at once: they share one read, and each still gets exactly the AEDs of its own radius.
describe('AED reads of an SOS', () => {
  const aeds = [aedAt('a-100', north(100)), aedAt('b-400', north(400)), aedAt('c-950', north(950)), aedAt('d-2500', north(2500))];
  const budgetRadiusM = (() => {
    const c = resolveDispatchConfig();
    return c.budgetS * c.walkSpeedMps;
  })();
  const request = { campusId: null, patient: PATIENT, at: new Date(), excludeVolunteerIds: new Set<string>(), radiusFactor: 1, needCpr: true, needAed: true, drill: false };

  it('reads once for the plan and the nearest AEDs together', async () => {
    const { service, reads } = planner(aeds);
    const [plan, nearest] = await Promise.all([service.plan(request), service.nearestAeds(PATIENT, 3, request.at)]);
    expect(reads).toHaveLength(1);
    expect(nearest.map((a) => a.id)).toEqual(['a-100', 'b-400', 'c-950']);
    // The plan saw the AEDs a read of its own radius returns, no more.
    const ownCells = new Set(cellsWithin(PATIENT, budgetRadiusM, DB_H3_RES));
    expect([...plan.aeds.keys()].sort()).toEqual(aeds.filter((a) => ownCells.has(a.h3Cell)).map((a) => a.id).sort());
    // 950 m north is in the kilometre's cells, not in those of the budget's reach.
    expect(plan.aeds.has('c-950')).toBe(false);
  });

  it('gives the same plan alone, and reads again once a read is over', async () => {
    const { service, reads } = planner(aeds);
    const [together] = await Promise.all([service.plan(request), service.nearestAeds(PATIENT, 3, request.at)]);
    const alone = await service.plan(request);
    expect(reads).toHaveLength(2);
    expect([...alone.aeds.keys()].sort()).toEqual([...together.aeds.keys()].sort());
    expect(alone.assignments).toEqual(together.assignments);
  });

  it('widens with a read of its own when the kilometre holds too few AEDs', async () => {
    const { service, reads } = planner(aeds);
    const nearest = await service.nearestAeds(PATIENT, 4, request.at);
    expect(nearest.map((a) => a.id)).toEqual(['a-100', 'b-400', 'c-950', 'd-2500']);
    expect(reads).toHaveLength(2);
  });
});
