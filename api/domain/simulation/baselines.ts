/**
 * Dispatch rules that deployed responder systems publish, as strategies for the simulator. They
 * select by straight-line distance from the volunteers' last reported positions, as those systems
 * do; the volunteers then walk real routes. Alerts go out at t = 0; nobody is re-alerted later.
 */
import { distanceM } from '../geo.ts';
import { accepts, type Drill } from './drill.ts';
import { allAeds, bestFetch, type DrillLegs, type SimulationEngine } from './legs.ts';
import { resolveOutcome, type Commitment, type DrillOutcome } from './movement.ts';

/** A dispatch rule: alerts, roles, and (simulated) movement on one drill. */
export type Strategy = (drill: Drill, engine: SimulationEngine) => DrillOutcome;

/** Volunteer indexes by straight-line distance from their reported position, nearest first (ties by index). */
export function byDistance(drill: Drill): { volunteer: number; distanceM: number }[] {
  return drill.volunteers
    .map((v, volunteer) => ({ volunteer, distanceM: distanceM(drill.patient, v.reported) }))
    .sort((a, b) => a.distanceM - b.distanceM || a.volunteer - b.volunteer);
}

/** Everyone who accepts goes straight to the patient. */
function allDirect(drill: Drill, engine: SimulationEngine, alerted: number[]): DrillOutcome {
  const commitments: Commitment[] = alerted
    .filter((v) => accepts(drill, drill.volunteers[v]))
    .map((v) => ({ volunteer: v, role: 'cpr', startS: drill.volunteers[v].answerDelayS }));
  return resolveOutcome(engine, drill, engine.legs(drill), commitments, alerted.length);
}

/** Via the AED the dispatcher expects them to bring soonest; straight to the patient when no AED is usable. */
function runner(engine: SimulationEngine, legs: DrillLegs, drill: Drill, v: number): Commitment {
  const fetch = bestFetch(engine, legs, v, allAeds(legs));
  const startS = drill.volunteers[v].answerDelayS;
  return fetch === null ? { volunteer: v, role: 'cpr', startS } : { volunteer: v, role: 'aed', aed: fetch.aed, startS };
}

/**
 * "Alert everyone within `radiusM`, no AED routing": every acceptor runs to the patient; nobody
 * brings an AED (a bystander might: not modelled).
 * @param radiusM straight-line radius, metres (default 400)
 */
export function alertWithinRadius(radiusM = 400): Strategy {
  return (drill, engine) => allDirect(drill, engine, byDistance(drill).filter((d) => d.distanceM <= radiusM).map((d) => d.volunteer));
}

/**
 * "Alert the `count` nearest": the nearest by straight line, whatever their distance; every acceptor
 * runs to the patient (the rule routes nobody via an AED).
 */
export function alertNearest(count = 3): Strategy {
  return (drill, engine) => allDirect(drill, engine, byDistance(drill).slice(0, count).map((d) => d.volunteer));
}

export interface PoolOptions {
  /** Most volunteers alerted (nearest first). Default 30. */
  maxAlerted: number;
  /** Straight-line radius, metres. Default 1000. */
  radiusM: number;
}

const DEFAULT_POOL: PoolOptions = { maxAlerted: 30, radiusM: 1000 };

function pool(drill: Drill, options: PoolOptions): number[] {
  return byDistance(drill)
    .filter((d) => d.distanceM <= options.radiusM)
    .slice(0, options.maxAlerted)
    .map((d) => d.volunteer);
}

/**
 * "Alert up to 30 within 1 km, one third straight to the patient and two thirds via an AED": roles are
 * fixed on the alert by distance rank (ranks 0, 3, 6, ... direct; the others via the AED expected
 * soonest at the patient for them).
 */
export function thirdsViaAed(options: Partial<PoolOptions> = {}): Strategy {
  return (drill, engine) => {
    const legs = engine.legs(drill);
    const alerted = pool(drill, { ...DEFAULT_POOL, ...options });
    const commitments = alerted.flatMap((v, rank): Commitment[] => {
      if (!accepts(drill, drill.volunteers[v])) return [];
      return rank % 3 === 0 ? [{ volunteer: v, role: 'cpr', startS: drill.volunteers[v].answerDelayS }] : [runner(engine, legs, drill, v)];
    });
    return resolveOutcome(engine, drill, legs, commitments, alerted.length);
  };
}

/**
 * "The first 4 who accept fetch AEDs, the fifth goes to the patient", over the same pool (up to 30
 * within 1 km); later acceptors are stood down. Each fetcher goes via the AED expected soonest at the
 * patient for them, even when another fetcher is heading for the same one.
 */
export function firstAcceptersFetch(fetchers = 4, options: Partial<PoolOptions> = {}): Strategy {
  return (drill, engine) => {
    const legs = engine.legs(drill);
    const alerted = pool(drill, { ...DEFAULT_POOL, ...options });
    const inOrder = alerted
      .filter((v) => accepts(drill, drill.volunteers[v]))
      .sort((a, b) => drill.volunteers[a].answerDelayS - drill.volunteers[b].answerDelayS || a - b)
      .slice(0, fetchers + 1);
    const commitments = inOrder.map((v, order): Commitment =>
      order < fetchers ? runner(engine, legs, drill, v) : { volunteer: v, role: 'cpr', startS: drill.volunteers[v].answerDelayS },
    );
    return resolveOutcome(engine, drill, legs, commitments, alerted.length);
  };
}
