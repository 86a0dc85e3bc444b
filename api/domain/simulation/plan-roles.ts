/**
 * The dispatch plan's role rule applied to the volunteers who accepted, each from the moment they
 * accepted (DESIGN.md "Dispatch plan": best CPR responder and best AED runner chosen jointly). Used by
 * the 'plan' variant of our strategy to bound what smarter reassignment could gain.
 */
import { bestFetch, type DrillLegs, type SimulationEngine } from './legs.ts';
import type { Commitment } from './movement.ts';

export interface Acceptor {
  /** Index into drill.volunteers. */
  volunteer: number;
  /** When they accepted and set off, seconds after the SOS. */
  startS: number;
}

interface Choice {
  runner: { volunteer: number; aed: number } | null;
  aedS: number;
  firstS: number;
  inBudget: number;
}

/**
 * Roles for the acceptors by the planner's lexicographic objective on expected times (reference speed,
 * last reported positions): most of {someone at the patient, the AED at the patient} within the
 * budget, then the earliest AED, then the earliest first person. Everyone but the runner goes
 * straight to the patient.
 * @param aedCandidates indexes into legs.aeds the runner may be sent to
 */
export function planRoles(engine: SimulationEngine, legs: DrillLegs, acceptors: readonly Acceptor[], aedCandidates: readonly number[]): Commitment[] {
  const { budgetS, acceptDelayS } = engine.campus.config;
  const directS = acceptors.map((a) => a.startS + legs.reportedToPatientS[a.volunteer] + legs.patientFloorS);
  const evaluate = (runnerIndex: number, aed: number, aedS: number): Choice => {
    const firstDirectS = Math.min(Infinity, ...directS.filter((_, i) => i !== runnerIndex));
    const firstS = Math.min(firstDirectS, aedS);
    const inBudget = (firstS <= budgetS ? 1 : 0) + (aedS <= budgetS ? 1 : 0);
    return { runner: runnerIndex < 0 ? null : { volunteer: acceptors[runnerIndex].volunteer, aed }, aedS, firstS, inBudget };
  };
  let best = evaluate(-1, -1, Infinity);
  acceptors.forEach((a, i) => {
    const fetch = bestFetch(engine, legs, a.volunteer, aedCandidates);
    // bestFetch counts the planner's accept delay from the alert; this acceptor sets off at startS.
    if (fetch !== null) {
      const choice = evaluate(i, fetch.aed, a.startS + fetch.etaS - acceptDelayS);
      if (isBetter(choice, best)) best = choice;
    }
  });
  return acceptors.map((a): Commitment =>
    best.runner?.volunteer === a.volunteer ? { volunteer: a.volunteer, role: 'aed', aed: best.runner.aed, startS: a.startS } : { volunteer: a.volunteer, role: 'cpr', startS: a.startS },
  );
}

/** AED arrivals closer than this are the same time: then the time to CPR decides. Seconds. */
const SAME_TIME_S = 0.5;

function isBetter(a: Choice, b: Choice): boolean {
  if (a.inBudget !== b.inBudget) return a.inBudget > b.inBudget;
  // Two runners can bring the same AED within milliseconds of each other (two routes of almost equal
  // length): without the tolerance that difference, not a minute sooner CPR, would pick the runner.
  if (!(Math.abs(a.aedS - b.aedS) < SAME_TIME_S)) return a.aedS < b.aedS;
  return a.firstS < b.firstS - SAME_TIME_S;
}
