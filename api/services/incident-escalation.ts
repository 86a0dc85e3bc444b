/**
 * Widening the search when nobody accepts in time. Each process times the incidents it raised; a
 * sweep adopts the open incidents nobody is timing (their process died, or this one restarted), and
 * a wave guard in the escalation's transaction makes sure two processes never alert the same wave twice.
 */
import type { Database } from '../db/client.ts';
import { createIncidentRepository, type IncidentEventRow, type IncidentRepository, type IncidentRow } from '../db/incident-repository.ts';
import type { NewOutboxEvent } from '../db/outbox-repository.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';
import type { NearestAedView } from './incident-views.ts';
import { alertEvents, patientOf, planLog, plannedDispatches, roleFill } from './incident-rules.ts';
import type { IncidentDeps } from './incidents.ts';
import type { PlanOutcome } from './planner.ts';

export interface EscalationConfig {
  acceptTimeoutMs: number;
  maxWaves: number;
}

export interface EscalationContext {
  deps: Pick<IncidentDeps, 'planner' | 'aedClaims'>;
  database: Database;
  clock: Clock;
  logger: Logger;
  config: EscalationConfig;
  write<T>(fn: (tx: Database['db'], events: NewOutboxEvent[]) => Promise<T>): Promise<T>;
  viewEvent(repo: IncidentRepository, incident: IncidentRow, nearest: NearestAedView[]): Promise<NewOutboxEvent>;
  nearestFor(incident: IncidentRow): Promise<NearestAedView[]>;
}

/** An orphaned wave is adopted this long (at most half the accept timeout) after its own timer would have fired, so its owner goes first. */
const ADOPT_GRACE_MS = 10_000;

/** The incident's latest wave and when it was alerted, from its log ('planned' entries carry the wave). */
export function currentWave(log: readonly Pick<IncidentEventRow, 'type' | 'at' | 'data'>[]): { wave: number; at: Date | null } {
  let wave = 0;
  let at: Date | null = null;
  for (const e of log) {
    const w = e.type === 'planned' ? Number((e.data as { wave?: unknown } | null)?.wave) : NaN;
    if (Number.isInteger(w) && w >= wave) {
      wave = w;
      at = e.at;
    }
  }
  return { wave, at };
}

export function createEscalation(ctx: EscalationContext) {
  const { deps, database, clock, logger, config } = ctx;
  const timers = new Map<string, { cancel(): void }>();
  let sweepTimer: { cancel(): void } | null = null;
  /** The latest sweep (settled or not): the next one starts after it. */
  let lastSweep: Promise<unknown> = Promise.resolve();

  function schedule(incidentId: string, wave: number, delayMs = config.acceptTimeoutMs) {
    timers.get(incidentId)?.cancel();
    timers.set(
      incidentId,
      clock.setTimeout(() => {
        timers.delete(incidentId);
        escalate(incidentId, wave).catch((err) => logger.error('escalation failed', { incidentId, error: String(err) }));
      }, delayMs),
    );
  }

  /** Alerts a further wave of a plan: claims, dispatch rows, log entries and alert events. */
  async function alertPlan(tx: Database['db'], incident: IncidentRow, plan: PlanOutcome, wave: number, events: NewOutboxEvent[]) {
    const repo = createIncidentRepository(tx);
    const now = clock.now();
    const lostClaims = new Set<string>();
    for (const a of plan.assignments) {
      if (a.aedId && a.role === 'aed' && !(await deps.aedClaims.claim(a.aedId, incident.id, tx))) lostClaims.add(a.volunteerId);
    }
    const inserted = await repo.insertPlannedDispatches(plannedDispatches(incident, plan, wave, now, lostClaims));
    events.push(...alertEvents(incident, inserted, plan));
    await repo.appendEvents(planLog(incident, plan, wave, now, inserted));
    return inserted;
  }

  /** Widens wave `wave` of an incident, unless its roles are filled or another process already did. */
  async function escalate(incidentId: string, wave: number): Promise<void> {
    const repo = createIncidentRepository(database.db);
    const incident = await repo.findById(incidentId);
    if (!incident || incident.state !== 'open') return;
    const dispatches = await repo.listDispatches(incidentId);
    const filled = roleFill(dispatches);
    if (filled.cpr && filled.aed) return;
    const nearest = await ctx.nearestFor(incident);
    if (wave >= config.maxWaves) {
      await ctx.write(async (tx, events) => {
        const txRepo = createIncidentRepository(tx);
        const current = await txRepo.lock(incidentId);
        const log = await txRepo.listEvents(incidentId);
        if (current?.state !== 'open' || log.some((e) => e.type === 'escalation_exhausted')) return;
        await txRepo.appendEvents([{ incidentId, type: 'escalation_exhausted', at: clock.now(), data: { wave } }]);
        events.push(await ctx.viewEvent(txRepo, current, nearest));
      });
      return;
    }
    const exclude = new Set(dispatches.map((d) => d.volunteerId));
    const plan = await deps.planner.plan({ incidentId, campusId: incident.campusId, patient: patientOf(incident), at: clock.now(), excludeVolunteerIds: exclude, radiusFactor: 2 ** wave, needCpr: !filled.cpr, needAed: !filled.aed, drill: incident.isDrill });
    const done = await ctx.write(async (tx, events) => {
      const txRepo = createIncidentRepository(tx);
      const current = await txRepo.lock(incidentId);
      if (current?.state !== 'open') return false;
      // The row lock orders concurrent escalations: only the first one for this wave goes ahead.
      if (currentWave(await txRepo.listEvents(incidentId)).wave !== wave) return false;
      await txRepo.appendEvents([{ incidentId, type: 'escalated', at: clock.now(), data: { wave: wave + 1, newlyAlerted: plan.assignments.length } }]);
      await alertPlan(tx, current, plan, wave + 1, events);
      events.push(await ctx.viewEvent(txRepo, current, nearest));
      return true;
    });
    if (done) schedule(incidentId, wave + 1);
  }

  /**
   * Adopts open incidents that no timer of this process watches and whose latest wave is overdue:
   * their process died or restarted. Escalation then proceeds here. Sweeps run one after another
   * (the one at start-up is not awaited): two at once would both count an incident as adopted.
   */
  function sweep(): Promise<number> {
    const run = lastSweep.then(sweepOnce, sweepOnce);
    lastSweep = run.catch(() => {});
    return run;
  }

  async function sweepOnce(): Promise<number> {
    const repo = createIncidentRepository(database.db);
    const open = (await repo.listOpen()).filter((i) => !timers.has(i.id));
    if (open.length === 0) return 0;
    const logs = await repo.listEventsOf(open.map((i) => i.id));
    const now = clock.now().getTime();
    const grace = Math.min(ADOPT_GRACE_MS, config.acceptTimeoutMs / 2);
    let adopted = 0;
    for (const incident of open) {
      const { wave, at } = currentWave(logs.filter((e) => e.incidentId === incident.id));
      if (wave === 0 || wave > config.maxWaves || logs.some((e) => e.incidentId === incident.id && e.type === 'escalation_exhausted')) continue;
      const dueAt = (at ?? incident.createdAt).getTime() + config.acceptTimeoutMs;
      // Overdue past the grace: adopt now. Not yet due: time it here too (the wave guard keeps one escalation).
      const delay = Math.max(0, dueAt + grace - now);
      schedule(incident.id, wave, delay);
      adopted++;
    }
    if (adopted > 0) logger.info('escalation adopted open incidents', { adopted });
    return adopted;
  }

  return {
    schedule,
    escalate,
    sweep,
    cancel(incidentId: string) {
      timers.get(incidentId)?.cancel();
      timers.delete(incidentId);
    },
    /** Sweeps now and then every `everyMs` (at most the accept timeout). */
    startSweeping(everyMs = Math.min(30_000, config.acceptTimeoutMs)) {
      const loop = () => {
        sweepTimer = clock.setTimeout(() => {
          sweep()
            .catch((err) => logger.warn('escalation sweep failed; retrying', { error: String(err) }))
            .finally(() => sweepTimer && loop());
        }, everyMs);
      };
      sweep().catch((err) => logger.warn('escalation sweep failed; retrying', { error: String(err) }));
      loop();
    },
    stop() {
      sweepTimer?.cancel();
      sweepTimer = null;
      for (const t of timers.values()) t.cancel();
      timers.clear();
    },
  };
}
