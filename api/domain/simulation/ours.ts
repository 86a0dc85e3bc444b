/**
 * Our strategy: planDispatch alerts the planned CPR responder, the AED runner and backups, with the
 * live planner's candidate radii (budget x walking speed, x 2 per wave, x 4 when nobody is inside;
 * AEDs within that radius). Answers arrive one by one; the search widens as the incident service
 * does (api/services/incidents.ts `escalate`, `reassign`). Roles among those who accept:
 * - 'plan' (default, the rule): the plan's logic over everyone who accepted, each from the
 *   moment they accepted: the AED run to whoever is expected to bring an AED soonest, CPR to the
 *   soonest of the others (see plan-roles.ts). It knows who will accept: a live system gets there by
 *   reassigning as answers arrive, so it is what our plan achieves when reassignment works.
 * - 'live': as api/services/incidents.ts `roleOnAccept` does today, greedily at each acceptance:
 * - any other acceptor takes the AED run when nobody has, if they can fetch one within the budget
 *   (or CPR is already covered), else CPR;
 * - a decline hands the AED run to the first still-alerted backup and, when nobody is left to cover,
 *   widens the search at once; otherwise every 45 s without both roles committed alerts a new wave
 *   over twice the radius, three waves at most (both modes).
 */
import { planDispatch } from '../dispatch-plan.ts';
import { distanceM } from '../geo.ts';
import { accepts, type Drill } from './drill.ts';
import { bestFetch, type DrillLegs, type SimulationEngine } from './legs.ts';
import { resolveOutcome, type Commitment } from './movement.ts';
import type { Strategy } from './baselines.ts';
import { planRoles } from './plan-roles.ts';

export interface OursOptions {
  /** Time to accept before the search widens, seconds (DEFAULT_INCIDENT_CONFIG.acceptTimeoutMs / 1000). */
  acceptTimeoutS: number;
  /** Waves of alerts at most (DEFAULT_INCIDENT_CONFIG.maxWaves). */
  maxWaves: number;
  /** How acceptors get their roles (above). */
  roles: 'plan' | 'live';
  /**
   * AEDs farther than this from the patient (straight line, metres) are never routed. Null mirrors the
   * live matching service: the wave's volunteer radius, at least budget x walking speed.
   */
  aedRadiusM: number | null;
  /** First wave's volunteer radius, metres (doubling per wave). Null mirrors the live service: budget x walking speed. */
  volunteerRadiusM: number | null;
}

export const DEFAULT_OURS_OPTIONS: OursOptions = { acceptTimeoutS: 45, maxWaves: 3, roles: 'plan', aedRadiusM: null, volunteerRadiusM: null };

interface SimDispatch {
  volunteer: number;
  role: 'cpr' | 'aed' | 'backup';
  /** Index into legs.aeds. */
  aed: number | null;
  status: 'alerted' | 'accepted' | 'declined';
  wave: number;
  answerAtS: number;
  answered: boolean;
}

/** Our plan-driven dispatch with the live service's reassignment and escalation. */
export function ours(options: Partial<OursOptions> = {}): Strategy {
  const opts = { ...DEFAULT_OURS_OPTIONS, ...options };
  return (drill, engine) => new OursRun(drill, engine, opts).run();
}

class OursRun {
  private readonly legs: DrillLegs;
  private readonly dispatches: SimDispatch[] = [];
  private readonly commitments: Commitment[] = [];
  private timer: { atS: number; wave: number } | null = null;
  private readonly budgetRadiusM: number;
  /** The widest AED radius any wave planned with, metres. */
  private aedRadiusM = 0;

  constructor(
    private readonly drill: Drill,
    private readonly engine: SimulationEngine,
    private readonly opts: OursOptions,
  ) {
    this.legs = engine.legs(drill);
    this.budgetRadiusM = engine.campus.config.budgetS * engine.campus.config.walkSpeedMps;
  }

  run() {
    this.alertWave(0, 1, 1, { cpr: false, aed: false });
    this.timer = { atS: this.opts.acceptTimeoutS, wave: 1 };
    for (;;) {
      const next = this.dispatches.filter((d) => !d.answered && Number.isFinite(d.answerAtS)).sort((a, b) => a.answerAtS - b.answerAtS || a.volunteer - b.volunteer)[0];
      if (this.timer !== null && (next === undefined || this.timer.atS < next.answerAtS)) {
        const { atS, wave } = this.timer;
        this.timer = null;
        this.escalate(atS, wave);
      } else if (next !== undefined) {
        next.answered = true;
        if (accepts(this.drill, this.drill.volunteers[next.volunteer])) this.accept(next);
        else this.decline(next);
      } else break;
    }
    const commitments = this.opts.roles === 'live' ? this.commitments : this.planRoles();
    return resolveOutcome(this.engine, this.drill, this.legs, commitments, this.dispatches.length);
  }

  private planRoles(): Commitment[] {
    const acceptors = this.dispatches.filter((d) => d.status === 'accepted').map((d) => ({ volunteer: d.volunteer, startS: d.answerAtS }));
    const candidates = this.legs.aeds.flatMap((a, i) => (distanceM(this.drill.patient, a) <= this.aedRadiusM ? [i] : []));
    return planRoles(this.engine, this.legs, acceptors, candidates);
  }

  /** Plans among volunteers not yet alerted and alerts them at `atS`. */
  private alertWave(atS: number, wave: number, radiusFactor: number, filled: { cpr: boolean; aed: boolean }): void {
    const { drill, engine } = this;
    const alerted = new Set(this.dispatches.map((d) => d.volunteer));
    const radiusM = (this.opts.volunteerRadiusM ?? this.budgetRadiusM) * radiusFactor;
    const within = (r: number) => drill.volunteers.map((_, i) => i).filter((i) => !alerted.has(i) && distanceM(drill.patient, drill.volunteers[i].reported) <= r);
    let candidates = within(radiusM);
    if (candidates.length === 0) candidates = within(radiusM * 4);
    const at = new Date(drill.at.getTime() + atS * 1000);
    const aedRadiusM = this.opts.aedRadiusM ?? Math.max(radiusM, this.budgetRadiusM);
    this.aedRadiusM = Math.max(this.aedRadiusM, aedRadiusM);
    const volunteers = candidates.map((i) => ({ id: drill.volunteers[i].id, ...drill.volunteers[i].reported, level: null, positionAtMs: at.getTime() }));
    const aeds = engine.campus.aeds.filter((a) => distanceM(drill.patient, a) <= aedRadiusM);
    // Variants of this strategy reach the same waves with the same inputs: plan each once.
    const key = `plan|${atS}|${aedRadiusM}|${candidates.join(',')}`;
    const plan = engine.memo(drill, key, () => planDispatch({ patient: drill.patient, volunteers, aeds, graph: engine.campus.graph, at, config: engine.campus.config }));
    const indexOf = new Map(candidates.map((i) => [drill.volunteers[i].id, i]));
    const add = (id: string, role: SimDispatch['role'], aedId: string | null) => {
      const aed = aedId === null ? -1 : this.legs.aeds.findIndex((a) => a.id === aedId);
      const volunteer = indexOf.get(id)!;
      const answerAtS = atS + drill.volunteers[volunteer].answerDelayS;
      // A runner whose AED the legs do not hold (its hours changed since t = 0) is alerted as a backup, like a lost claim.
      const held = role === 'aed' && aed >= 0;
      this.dispatches.push({ volunteer, role: role === 'aed' && !held ? 'backup' : role, aed: held ? aed : null, status: 'alerted', wave, answerAtS, answered: false });
    };
    for (const c of plan.cpr) add(c.volunteerId, filled.cpr ? 'backup' : 'cpr', null);
    if (plan.aedRunner) add(plan.aedRunner.volunteerId, filled.aed ? 'backup' : 'aed', filled.aed ? null : plan.aedRunner.aedId);
    for (const b of plan.backups) add(b.volunteerId, 'backup', null);
  }

  private roleFill() {
    const committed = this.dispatches.filter((d) => d.status === 'accepted');
    return { cpr: committed.some((d) => d.role !== 'aed'), aed: committed.some((d) => d.role === 'aed') };
  }

  /** The live fetch plan: the AED within the budget radius expected soonest at the patient. */
  private fetchFor(volunteer: number) {
    const radiusM = this.opts.aedRadiusM ?? this.budgetRadiusM;
    const near = this.legs.aeds.flatMap((a, i) => (distanceM(this.drill.patient, a) <= radiusM ? [i] : []));
    const fetch = bestFetch(this.engine, this.legs, volunteer, near);
    return fetch === null ? null : { ...fetch, withinBudget: fetch.etaS <= this.engine.campus.config.budgetS };
  }

  private accept(d: SimDispatch): void {
    const filled = this.roleFill();
    const fetch = this.fetchFor(d.volunteer);
    d.status = 'accepted';
    if (d.role === 'aed' && d.aed !== null && !filled.aed) {
      // keeps the designated run
    } else if (!filled.aed && fetch !== null && (filled.cpr || fetch.withinBudget)) {
      d.role = 'aed';
      d.aed = fetch.aed;
    } else {
      d.role = 'cpr';
      d.aed = null;
    }
    const role = d.role === 'aed' ? 'aed' : 'cpr';
    this.commitments.push({ volunteer: d.volunteer, role, aed: d.aed ?? undefined, startS: d.answerAtS });
  }

  private decline(d: SimDispatch): void {
    if (!this.drill.volunteers[d.volunteer].declines) return; // silent: the answer never comes
    const backup = this.dispatches.find((x) => x.status === 'alerted' && x.role === 'backup' && x !== d);
    d.status = 'declined';
    const filled = this.roleFill();
    if (!filled.aed && !this.dispatches.some((x) => x.role === 'aed' && x.status === 'alerted') && backup !== undefined) {
      const fetch = this.fetchFor(backup.volunteer);
      if (fetch !== null) Object.assign(backup, { role: 'aed', aed: fetch.aed });
    }
    const live = this.dispatches.filter((x) => x.status !== 'declined');
    const covered = live.length >= 2 || (live.length === 1 && this.roleFill().cpr);
    if (!covered) this.escalate(d.answerAtS, d.wave);
  }

  private escalate(atS: number, wave: number): void {
    const filled = this.roleFill();
    if ((filled.cpr && filled.aed) || wave >= this.opts.maxWaves) return;
    this.alertWave(atS, wave + 1, 2 ** wave, filled);
    this.timer = { atS: atS + this.opts.acceptTimeoutS, wave: wave + 1 };
  }
}
