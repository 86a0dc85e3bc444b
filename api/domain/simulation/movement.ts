/**
 * What happens once volunteers set off: each walks their route at their own speed; runners sent to
 * the same cabinet race for it (the first there takes the AED, the others go on to the patient
 * empty-handed). Yields the drill's outcome: first person at the patient, AED at the patient.
 */
import type { Drill } from './drill.ts';
import type { DrillLegs, SimulationEngine } from './legs.ts';

export type ResponderRole = 'cpr' | 'aed';

/** A volunteer who accepted and set off with a role. */
export interface Commitment {
  /** Index into drill.volunteers. */
  volunteer: number;
  role: ResponderRole;
  /** Index into legs.aeds, for a runner. */
  aed?: number;
  /** When they set off, seconds after the SOS. */
  startS: number;
}

export interface ResponderOutcome {
  volunteerId: string;
  role: ResponderRole;
  aedId: string | null;
  startS: number;
  /** Arrival at the patient, seconds after the SOS. */
  atPatientS: number;
  /** False for a runner who found the cabinet already emptied by another runner. */
  broughtAed: boolean;
}

/** The simulated result of one strategy on one drill. */
export interface DrillOutcome {
  /** First person at the patient (a runner starts CPR on arrival too), seconds; Infinity when nobody came. */
  timeToFirstCprS: number;
  /** First AED at the patient, seconds; Infinity when none was brought. */
  timeToAedS: number;
  /** Volunteers alerted (every wave). */
  alerted: number;
  responders: ResponderOutcome[];
}

/** Seconds for volunteer `v` to walk a leg that takes `referenceS` at the reference speed. */
export function ownTimeS(engine: SimulationEngine, drill: Drill, v: number, referenceS: number): number {
  return (referenceS * engine.campus.config.walkSpeedMps) / drill.volunteers[v].speedMps;
}

/**
 * Moves the committed volunteers and measures the outcome.
 * @param alerted how many the strategy alerted
 */
export function resolveOutcome(engine: SimulationEngine, drill: Drill, legs: DrillLegs, commitments: readonly Commitment[], alerted: number): DrillOutcome {
  const responders: ResponderOutcome[] = [];
  const runnersByAed = new Map<number, { c: Commitment; atCabinetS: number }[]>();
  for (const c of commitments) {
    if (c.role === 'aed' && c.aed !== undefined) {
      const atCabinetS = c.startS + ownTimeS(engine, drill, c.volunteer, legs.toAedS[c.volunteer * legs.aeds.length + c.aed]);
      runnersByAed.set(c.aed, [...(runnersByAed.get(c.aed) ?? []), { c, atCabinetS }]);
      continue;
    }
    const atPatientS = c.startS + ownTimeS(engine, drill, c.volunteer, legs.toPatientS[c.volunteer]) + legs.patientFloorS;
    responders.push({ volunteerId: drill.volunteers[c.volunteer].id, role: 'cpr', aedId: null, startS: c.startS, atPatientS, broughtAed: false });
  }
  for (const [a, runners] of runnersByAed) {
    runners.sort((x, y) => x.atCabinetS - y.atCabinetS || x.c.volunteer - y.c.volunteer);
    runners.forEach(({ c, atCabinetS }, rank) => {
      const broughtAed = rank === 0;
      const carryS = ownTimeS(engine, drill, c.volunteer, legs.aedToPatientS[a]);
      const atPatientS = atCabinetS + (broughtAed ? legs.retrievalS[a] : 0) + carryS + legs.patientFloorS;
      responders.push({ volunteerId: drill.volunteers[c.volunteer].id, role: 'aed', aedId: legs.aeds[a].id, startS: c.startS, atPatientS, broughtAed });
    });
  }
  responders.sort((x, y) => x.atPatientS - y.atPatientS || (x.volunteerId < y.volunteerId ? -1 : 1));
  return {
    timeToFirstCprS: Math.min(Infinity, ...responders.map((r) => r.atPatientS)),
    timeToAedS: Math.min(Infinity, ...responders.filter((r) => r.broughtAed).map((r) => r.atPatientS)),
    alerted,
    responders,
  };
}
