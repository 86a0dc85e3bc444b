/**
 * The dispatch plan: who runs straight to the patient for CPR, who fetches which AED, whom else to
 * alert, and which AEDs a bystander could fetch. DESIGN.md, "Dispatch plan".
 */
import { availableAeds, DispatchRoutes, type RoutedAed } from './dispatch-routes.ts';
import { alertCount, pickBackups, type BackupAssignment } from './dispatch-backups.ts';
import { resolveDispatchConfig, type DispatchConfig } from './config.ts';
import { InvalidArgumentError } from './errors.ts';
import { assertLatLng, distanceM } from './geo.ts';
import type { AedForPlanning, PatientLocation, VolunteerForPlanning } from './types.ts';
import type { WalkingGraph } from './walking-graph.ts';

export type { BackupAssignment } from './dispatch-backups.ts';

export interface PlanDispatchInput {
  patient: PatientLocation;
  /** On-duty, verified volunteers; stale positions are dropped here. */
  volunteers: VolunteerForPlanning[];
  aeds: AedForPlanning[];
  /** The campus walking graph, built with the same travel options as `config`; null: straight-line fallback everywhere. */
  graph: WalkingGraph | null;
  at: Date;
  config?: Partial<DispatchConfig>;
  /** The incident being planned: AEDs it already claimed stay usable to it. */
  incidentId?: string;
}

export interface CprAssignment {
  volunteerId: string;
  /** Seconds from `at` to the volunteer at the patient. */
  etaS: number;
}

export interface AedRunnerAssignment {
  volunteerId: string;
  aedId: string;
  /** Seconds from `at` to the AED at the patient. */
  etaS: number;
  /** Seconds from `at` to the runner at the AED. */
  etaAtAedS: number;
}

export interface NearbyAed {
  aedId: string;
  /** Round trip for a bystander at the patient: there, retrieval, back; seconds. */
  walkTimeS: number;
  /** Straight-line distance from the patient, metres. */
  distanceM: number;
}

export type PlanReason = 'NO_VOLUNTEERS' | 'NO_USABLE_AED' | 'NOBODY_IN_TIME';

export interface DispatchPlan {
  cpr: CprAssignment[];
  aedRunner: AedRunnerAssignment | null;
  backups: BackupAssignment[];
  nearestAeds: NearbyAed[];
  withinBudget: { cpr: boolean; aed: boolean };
  reason?: PlanReason;
}

/** One way to fill the roles, with what decides between ways. */
interface Choice {
  runner: AedRunnerAssignment | null;
  cpr: CprAssignment[];
  /** First person at the patient (a runner starts CPR on arrival too), seconds. */
  firstAtPatientS: number;
  aedS: number;
  /** How many of (someone at the patient, the AED at the patient) make the budget. */
  inBudget: number;
}

/**
 * Plans the response to one cardiac arrest.
 *
 * Roles are chosen jointly, by this lexicographic objective (the AED within the budget is what
 * saves lives; compressions as soon as possible come next):
 * 1. most of {someone at the patient, the AED at the patient} within `budgetS`;
 * 2. earliest AED at the patient; 3. earliest first person at the patient; 4. smallest ids.
 * The runner is never also a CPR responder, and one AED has one runner. With one volunteer this
 * means: fetch the AED when it arrives within the budget, otherwise go straight to the patient
 * (and when neither is in time, fetch it: the AED still arrives, later).
 * When nothing is in time the best plan is still returned with honest ETAs and a reason.
 * @throws InvalidArgumentError (bad config, graph built with other travel options); InvalidCoordinateError
 */
export function planDispatch(input: PlanDispatchInput): DispatchPlan {
  const config = resolveDispatchConfig(input.config);
  assertSameTravel(input.graph, config);
  assertLatLng(input.patient);
  const fresh = freshVolunteers(input.volunteers, input.at, config);
  const aeds = availableAeds(input.aeds, input.at, config, input.incidentId);
  const routes = new DispatchRoutes(input.graph, config, input.patient, fresh);
  const directS = routes.directS();
  const direct = fresh
    .map((v, i) => ({ volunteerId: v.id, etaS: directS[i] }))
    .sort((a, b) => a.etaS - b.etaS || compareIds(a.volunteerId, b.volunteerId));
  const routed = routes.routeAeds(aeds);
  const { best, runners } = chooseRoles(routes, routed, direct, config);
  const withinBudget = { cpr: best.firstAtPatientS <= config.budgetS, aed: best.aedS <= config.budgetS };
  const plan: DispatchPlan = {
    cpr: best.cpr,
    aedRunner: best.runner,
    backups: backups(best, direct, runners, config),
    nearestAeds: nearestAeds(routed, input.patient, config.nearestAedsLimit),
    withinBudget,
  };
  if (fresh.length === 0) return { ...plan, reason: 'NO_VOLUNTEERS' };
  if (aeds.length === 0) return { ...plan, reason: 'NO_USABLE_AED' };
  return withinBudget.cpr ? plan : { ...plan, reason: 'NOBODY_IN_TIME' };
}

/** The best choice by the objective of {@link planDispatch}, and every runner option computed on the way. */
function chooseRoles(
  routes: DispatchRoutes,
  routed: RoutedAed[],
  direct: CprAssignment[],
  config: DispatchConfig,
): { best: Choice; runners: AedRunnerAssignment[] } {
  let best = evaluate(null, direct, config);
  const runners: AedRunnerAssignment[] = [];
  for (const aed of direct.length === 0 ? [] : routed) {
    // Once a runner is planned the best AED arrival only improves, and no plan through an AED whose
    // lower bound exceeds it can win (nor add an in-budget role): stop, once the few AEDs that
    // backup runners may use are routed.
    if (routes.routedCount >= config.minAedCandidates && aed.lowerBoundS > best.aedS) break;
    // For the same reason a walk to the AED longer than that arrival (or the budget) is not needed.
    for (const runner of routes.runnersFor(aed, Math.max(best.aedS, config.budgetS))) {
      runners.push(runner);
      // A runner who never gets there (beyond the search) is never better than no runner at all.
      if (runner.etaS === Infinity) continue;
      const choice = evaluate(runner, direct, config);
      if (isBetter(choice, best)) best = choice;
    }
  }
  return { best, runners };
}

function assertSameTravel(graph: WalkingGraph | null, config: DispatchConfig): void {
  if (graph === null) return;
  for (const key of Object.keys(graph.travel) as (keyof typeof graph.travel)[]) {
    if (graph.travel[key] !== config[key]) {
      throw new InvalidArgumentError(`walking graph built with ${key}=${graph.travel[key]}, config has ${config[key]}`);
    }
  }
}

function freshVolunteers(volunteers: VolunteerForPlanning[], at: Date, config: DispatchConfig): VolunteerForPlanning[] {
  const oldestMs = at.getTime() - config.positionMaxAgeS * 1000;
  for (const v of volunteers) assertLatLng(v);
  return volunteers.filter((v) => v.positionAtMs >= oldestMs).sort((a, b) => compareIds(a.id, b.id));
}

/** The plan with this runner (or none) and the best CPR team without them. */
function evaluate(runner: AedRunnerAssignment | null, direct: CprAssignment[], config: DispatchConfig): Choice {
  // The nearest who are not the runner: walks `direct` only as far as the team needs.
  const cpr: CprAssignment[] = [];
  for (let i = 0; i < direct.length && cpr.length < config.cprResponders; i++) {
    if (direct[i]!.volunteerId !== runner?.volunteerId) cpr.push(direct[i]!);
  }
  const aedS = runner?.etaS ?? Infinity;
  const firstAtPatientS = Math.min(cpr[0]?.etaS ?? Infinity, aedS);
  const inBudget = (firstAtPatientS <= config.budgetS ? 1 : 0) + (aedS <= config.budgetS ? 1 : 0);
  return { runner, cpr, firstAtPatientS, aedS, inBudget };
}

function isBetter(a: Choice, b: Choice): boolean {
  if (a.inBudget !== b.inBudget) return a.inBudget > b.inBudget;
  if (a.aedS !== b.aedS) return a.aedS < b.aedS;
  if (a.firstAtPatientS !== b.firstAtPatientS) return a.firstAtPatientS < b.firstAtPatientS;
  const byRunner = compareIds(a.runner?.volunteerId ?? '', b.runner?.volunteerId ?? '');
  return byRunner !== 0 ? byRunner < 0 : compareIds(a.runner?.aedId ?? '', b.runner?.aedId ?? '') < 0;
}

function backups(best: Choice, direct: CprAssignment[], runners: AedRunnerAssignment[], config: DispatchConfig): BackupAssignment[] {
  const planned = new Set([...best.cpr.map((c) => c.volunteerId), ...(best.runner ? [best.runner.volunteerId] : [])]);
  const alerted = alertCount(planned.size, config.acceptProbability, config.targetAcceptProbability, config.maxAlerted, direct.length);
  const bestRunByVolunteer = new Map<string, AedRunnerAssignment>();
  for (const r of runners) {
    const known = bestRunByVolunteer.get(r.volunteerId);
    if (!planned.has(r.volunteerId) && (known === undefined || r.etaS < known.etaS || (r.etaS === known.etaS && r.aedId < known.aedId))) {
      bestRunByVolunteer.set(r.volunteerId, r);
    }
  }
  const aed = [...bestRunByVolunteer.values()]
    .sort((a, b) => a.etaS - b.etaS || compareIds(a.volunteerId, b.volunteerId))
    .map(({ volunteerId, aedId, etaS }) => ({ volunteerId, aedId, etaS }));
  const cpr = direct.filter((d) => !planned.has(d.volunteerId));
  return pickBackups({ cpr, aed }, alerted - planned.size);
}

function nearestAeds(routed: RoutedAed[], patient: PatientLocation, limit: number): NearbyAed[] {
  return routed
    .map((r) => ({ aedId: r.aed.id, walkTimeS: r.roundTripS, distanceM: distanceM(patient, r.aed) }))
    .sort((a, b) => a.walkTimeS - b.walkTimeS || compareIds(a.aedId, b.aedId))
    .slice(0, limit);
}

/** Code-unit order of ids: deterministic and locale-free. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
