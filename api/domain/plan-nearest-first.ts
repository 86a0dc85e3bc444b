/**
 * The dispatch plan for a crowd: route the nearest candidates first, everyone only when needed.
 */
import { resolveDispatchConfig } from './config.ts';
import { planDispatch, type DispatchPlan, type PlanDispatchInput } from './dispatch-plan.ts';
import { distanceM } from './geo.ts';

/**
 * planDispatch over the `firstCount` volunteers nearest to the patient (straight line), falling back
 * to all of them when a farther one could matter. Nobody arrives sooner than acceptDelayS + straight
 * distance / walking speed (routes are never shorter than the straight line, floors only add), so
 * when every volunteer the first plan chose arrives before the next candidate's lower bound, no
 * farther candidate could have taken any of its places and the plan equals planDispatch's (as long as
 * it did not alert every first candidate: the number alerted grows with the number available).
 * @param firstCount candidates routed first; several times maxAlerted
 * @throws as planDispatch
 */
export function planDispatchNearestFirst(input: PlanDispatchInput, firstCount = 40): DispatchPlan {
  const config = resolveDispatchConfig(input.config);
  const oldestMs = input.at.getTime() - config.positionMaxAgeS * 1000;
  const byDistance = input.volunteers
    .filter((v) => v.positionAtMs >= oldestMs)
    .map((v) => ({ v, d: distanceM(input.patient, v) }))
    .sort((a, b) => a.d - b.d || (a.v.id < b.v.id ? -1 : a.v.id > b.v.id ? 1 : 0));
  if (byDistance.length <= firstCount) return planDispatch({ ...input, volunteers: byDistance.map((x) => x.v) });
  const first = planDispatch({ ...input, volunteers: byDistance.slice(0, firstCount).map((x) => x.v) });
  const chosenS = [...first.cpr.map((c) => c.etaS), ...(first.aedRunner ? [first.aedRunner.etaS] : []), ...first.backups.map((b) => b.etaS)];
  const nextLowerBoundS = config.acceptDelayS + byDistance[firstCount]!.d / config.walkSpeedMps;
  // How many to alert depends on how many are available: a first plan that alerted every candidate
  // it had might have wanted more, so it is only final when it left some out.
  if (chosenS.length > 0 && chosenS.length < firstCount && Math.max(...chosenS) < nextLowerBoundS) return first;
  return planDispatch({ ...input, volunteers: byDistance.map((x) => x.v) });
}
