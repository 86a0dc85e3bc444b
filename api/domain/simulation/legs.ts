/**
 * Walking legs of one drill, computed once and shared by every strategy: each volunteer to the
 * patient and to each usable AED, from where they are (what happens) and from where they last
 * reported (what a dispatcher can know). Graph times are at the configured reference speed
 * (config.walkSpeedMps); a volunteer's own time is that x reference / their speed.
 */
import { usableNow } from '../availability.ts';
import { floorTimeS, snapToGraph, timesFrom, travelTimeS, type TravelTimes } from '../travel-time.ts';
import type { AedForPlanning, LatLng } from '../types.ts';
import type { SimulationCampus } from './campus.ts';
import type { Drill } from './drill.ts';

export interface DrillLegs {
  /** AEDs usable at the drill's moment, in campus order; legs index them by position here. */
  aeds: AedForPlanning[];
  /** Walking seconds at the reference speed from each volunteer's position to the patient. */
  toPatientS: Float64Array;
  /** The same from their last reported position. */
  reportedToPatientS: Float64Array;
  /** Entry `v * aeds.length + a`: volunteer v's position to AED a, seconds at the reference speed. */
  toAedS: Float64Array;
  reportedToAedS: Float64Array;
  /** AED a to the patient, seconds at the reference speed. */
  aedToPatientS: Float64Array;
  /** Cabinet, indoor search, and the AED's floor up and down, seconds (not scaled by speed). */
  retrievalS: Float64Array;
  /** Stairs to the patient's floor, seconds. */
  patientFloorS: number;
}

/** The campus plus per-drill caches: what every strategy gets. */
export interface SimulationEngine {
  campus: SimulationCampus;
  legs(drill: Drill): DrillLegs;
  /** A value computed once per drill and key (e.g. a dispatch plan two strategy variants share). */
  memo<T>(drill: Drill, key: string, compute: () => T): T;
}

export function createEngine(campus: SimulationCampus): SimulationEngine {
  const memos = new WeakMap<Drill, Map<string, unknown>>();
  const engine: SimulationEngine = {
    campus,
    legs: (drill) => engine.memo(drill, 'legs', () => computeLegs(drill, campus)),
    memo<T>(drill: Drill, key: string, compute: () => T): T {
      let byKey = memos.get(drill);
      if (byKey === undefined) memos.set(drill, (byKey = new Map()));
      if (!byKey.has(key)) byKey.set(key, compute());
      return byKey.get(key) as T;
    },
  };
  return engine;
}

/**
 * One Dijkstra from the patient and one per usable AED.
 * @throws InvalidTimezoneError; InvalidCoordinateError
 */
export function computeLegs(drill: Drill, campus: SimulationCampus): DrillLegs {
  const { graph, config } = campus;
  const options = { timezone: campus.timezone, allowPrivate: config.allowPrivateAeds, region: config.region };
  const aeds = campus.aeds.filter((aed) => usableNow(aed, drill.at, options).usable);
  const fromPatient = timesFrom(graph, drill.patient);
  const n = drill.volunteers.length;
  // Each point is snapped once and timed from the patient and every AED: snapping is most of the cost.
  const snapped = (point: LatLng) => ({ point, snap: snapToGraph(graph, point) });
  const time = (from: TravelTimes, p: ReturnType<typeof snapped>) => travelTimeS(graph, from, p.point, p.snap);
  const positions = drill.volunteers.map((v) => snapped(v.position));
  const reported = drill.volunteers.map((v) => snapped(v.reported));
  const toPatientS = Float64Array.from(positions, (p) => time(fromPatient, p));
  const reportedToPatientS = Float64Array.from(reported, (p) => time(fromPatient, p));
  const toAedS = new Float64Array(n * aeds.length);
  const reportedToAedS = new Float64Array(n * aeds.length);
  aeds.forEach((aed, a) => {
    const fromAed = timesFrom(graph, aed);
    for (let i = 0; i < n; i++) {
      toAedS[i * aeds.length + a] = time(fromAed, positions[i]);
      reportedToAedS[i * aeds.length + a] = time(fromAed, reported[i]);
    }
  });
  return {
    aeds,
    toPatientS,
    reportedToPatientS,
    toAedS,
    reportedToAedS,
    aedToPatientS: Float64Array.from(aeds, (aed) => travelTimeS(graph, fromPatient, aed)),
    retrievalS: Float64Array.from(aeds, (aed) => config.aedRetrievalS + (aed.indoor === true ? config.indoorRetrievalExtraS : 0) + 2 * floorTimeS(aed.level, config.stairSecondsPerFloor)),
    patientFloorS: floorTimeS(drill.patient.level, config.stairSecondsPerFloor),
  };
}

/**
 * What a dispatcher expects volunteer `v` to need to bring AED `a` to the patient, from their reported
 * position at the reference speed, the planner's accept delay included (as the live planner's ETAs).
 * @returns seconds after the alert
 */
export function expectedFetchS(engine: SimulationEngine, legs: DrillLegs, v: number, a: number): number {
  const reportedS = legs.reportedToAedS[v * legs.aeds.length + a];
  return engine.campus.config.acceptDelayS + reportedS + legs.retrievalS[a] + legs.aedToPatientS[a] + legs.patientFloorS;
}

/**
 * The AED (among `candidates`, indexes into legs.aeds) a dispatcher would send volunteer `v` to: the
 * soonest expected at the patient; ties to the lower index. Null without candidates.
 */
export function bestFetch(engine: SimulationEngine, legs: DrillLegs, v: number, candidates: readonly number[]): { aed: number; etaS: number } | null {
  let best: { aed: number; etaS: number } | null = null;
  for (const a of candidates) {
    const etaS = expectedFetchS(engine, legs, v, a);
    if (best === null || etaS < best.etaS) best = { aed: a, etaS };
  }
  return best;
}

/** Every usable AED's index. */
export function allAeds(legs: DrillLegs): number[] {
  return legs.aeds.map((_, a) => a);
}
