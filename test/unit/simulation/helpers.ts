import { alertNearest, alertWithinRadius, firstAcceptersFetch, thirdsViaAed } from '../../../api/domain/simulation/baselines.ts';
import { prepareSimulationCampus, type SimulationCampus } from '../../../api/domain/simulation/campus.ts';
import type { Drill, SimVolunteer } from '../../../api/domain/simulation/drill.ts';
import { createEngine, type SimulationEngine } from '../../../api/domain/simulation/legs.ts';
import type { DrillOutcome } from '../../../api/domain/simulation/movement.ts';
import { ours } from '../../../api/domain/simulation/ours.ts';
import type { AedForPlanning, LatLng } from '../../../api/domain/types.ts';
import type { WalkwayInput } from '../../../api/domain/walking-graph.ts';

/** Hand-made places: metres east and north of a point on the demo campus. */
export const ORIGIN = { lat: 42.05, lng: -87.68 };
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LNG = M_PER_DEG_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180);
export const at = (east: number, north: number): LatLng => ({ lat: ORIGIN.lat + north / M_PER_DEG_LAT, lng: ORIGIN.lng + east / M_PER_DEG_LNG });

/** A street grid of `blocks` x `blocks` blocks of `blockM` metres, south-west corner at ORIGIN. */
export function grid(blocks: number, blockM = 100): WalkwayInput[] {
  const ways: WalkwayInput[] = [];
  for (let i = 0; i <= blocks; i++) {
    ways.push({ coords: Array.from({ length: blocks + 1 }, (_, j) => at(j * blockM, i * blockM)), highway: 'footway', steps: false });
    ways.push({ coords: Array.from({ length: blocks + 1 }, (_, j) => at(i * blockM, j * blockM)), highway: 'footway', steps: false });
  }
  return ways;
}

/** An always-open, public outdoor AED on the ground floor. */
export function aed(id: string, east: number, north: number, patch: Partial<AedForPlanning> = {}): AedForPlanning {
  return { id, ...at(east, north), level: 0, indoor: false, access: 'yes', openingHours: null, status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null, ...patch };
}

export function campusOf(walkways: WalkwayInput[], aeds: AedForPlanning[]): SimulationCampus {
  return prepareSimulationCampus({ walkways, buildings: [], aeds, timezone: 'America/Chicago', bounds: { minLat: 42, minLng: -88, maxLat: 42.1, maxLng: -87.6 } });
}

export interface VolunteerSpec {
  east: number;
  north: number;
  /** Default true. */
  accepts?: boolean;
  /** Seconds to answer; default 30 (the planner's assumption). */
  delayS?: number;
  /** Default 2.3 (the planner's reference speed). */
  speedMps?: number;
  /** When not accepting: decline (default) or stay silent. */
  declines?: boolean;
}

/** A volunteer exactly where they reported, with chosen draws. */
export function volunteer(id: string, spec: VolunteerSpec): SimVolunteer {
  const position = at(spec.east, spec.north);
  return {
    id,
    position,
    reported: position,
    speedMps: spec.speedMps ?? 2.3,
    acceptDraw: spec.accepts === false ? 0.99 : 0,
    answerDelayS: spec.delayS ?? 30,
    declines: spec.declines ?? true,
  };
}

/** A drill at 14:00 on a Wednesday in Evanston; volunteer ids are the keys of `people`. */
export function drillOf(patient: { east: number; north: number; level?: number }, people: Record<string, VolunteerSpec>): Drill {
  return {
    index: 0,
    at: new Date('2026-04-15T19:00:00Z'),
    hour: 14,
    patient: { ...at(patient.east, patient.north), level: patient.level ?? 0, kind: 'path', place: 'test' },
    volunteers: Object.entries(people).map(([id, spec]) => volunteer(id, spec)),
    acceptProbability: 0.65,
  };
}

export const STRATEGY_RULES = {
  ours: ours(),
  oursLive: ours({ roles: 'live' }),
  radius400: alertWithinRadius(400),
  nearest3: alertNearest(3),
  thirds: thirdsViaAed(),
  first4: firstAcceptersFetch(4),
};

export const BASELINES = ['radius400', 'nearest3', 'thirds', 'first4'] as const;

/**
 * The planner's objective as a comparable tuple: how many of {someone at the patient, the AED at the
 * patient} within the budget (more is better), then AED time, then first arrival (less is better).
 */
export function score(o: DrillOutcome, budgetS = 240): [number, number, number] {
  const inBudget = (o.timeToFirstCprS <= budgetS ? 1 : 0) + (o.timeToAedS <= budgetS ? 1 : 0);
  return [inBudget, o.timeToAedS, o.timeToFirstCprS];
}

/** True when `a` is at least as good as `b` by {@link score} (times compared with a 0.5 s tolerance). */
export function atLeastAsGood(a: DrillOutcome, b: DrillOutcome): boolean {
  const [ia, aa, fa] = score(a);
  const [ib, ab, fb] = score(b);
  if (ia !== ib) return ia > ib;
  if (Math.abs(aa - ab) > 0.5 && aa !== ab) return aa < ab;
  return !(fa - fb > 0.5);
}

export function engineOf(campus: SimulationCampus): SimulationEngine {
  return createEngine(campus);
}
