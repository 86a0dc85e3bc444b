import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { createIncidentRepository, type DispatchRow, type IncidentRow, type IncidentRepository } from '../db/incident-repository.ts';
import type { OutboxEvent, NewOutboxEvent, OutboxRepository } from '../db/outbox-repository.ts';
import type { QrSpotRow } from '../db/campus-repository.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';
import { createAnswerSteps } from './incident-answers.ts';
import { createSosSteps } from './incident-create.ts';
import { createResponderSet } from './responder-set.ts';
import { createEscalation } from './incident-escalation.ts';
import { createStandbyIncidents, type StandbyIncidentDeps } from './incident-standby.ts';
import { bystanderView, type AedBrief, type BystanderView, type NearestAedView } from './incident-views.ts';
import { hasPendingCover, incidentRecipient, nearestForBystander, spotText, userRecipient } from './incident-rules.ts';
import type { IncidentPlanner } from './planner.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface IncidentConfig {
  /** Time for alerted volunteers to accept before the search widens. */
  acceptTimeoutMs: number;
  /** Waves of alerts (each one a wider search) before giving up widening. */
  maxWaves: number;
  /** A second SOS from the same QR spot within this window joins the open incident. */
  joinWindowMs: number;
}

export const DEFAULT_INCIDENT_CONFIG: IncidentConfig = { acceptTimeoutMs: 45_000, maxWaves: 3, joinWindowMs: 20 * 60_000 };

export interface IncidentDeps {
  database: Database;
  planner: IncidentPlanner;
  outbox: OutboxRepository;
  publish(events: OutboxEvent[]): Promise<void>;
  findQrSpot(code: string): Promise<QrSpotRow | undefined>;
  aedClaims: {
    claim(aedId: string, incidentId: string, db: Database['db']): Promise<boolean>;
    release(incidentId: string, db: Database['db'], aedId?: string): Promise<void>;
    markInUse(aedId: string, db: Database['db']): Promise<void>;
    briefs(ids: string[], db: Database['db']): Promise<Map<string, AedBrief>>;
  };
  limits: { perClient: RateLimiter; perSpot: RateLimiter };
  /** SOS without the database: the memory to plan from and the way to alert unsaved (incident-standby.ts). */
  standby?: Pick<StandbyIncidentDeps, 'standby' | 'planner' | 'deliverUnsaved' | 'journalDir'>;
  clock: Clock;
  logger: Logger;
  /** Secret of this deployment: public tokens are HMACs of incident ids, so a retried SOS gets its token again. */
  secret: string;
  config?: Partial<IncidentConfig>;
}

export interface CreateIncidentInput {
  qrCode: string;
  clientRequestId: string;
  clientKey: string;
  gps?: { lat: number; lng: number; accuracyM?: number };
  isDrill?: boolean;
}

export type RespondAction = 'accept' | 'decline' | 'arrived';

export interface CreatedIncident {
  incident: IncidentRow;
  publicToken: string;
  /** False when the request was a retry or joined an open incident at the same spot. */
  created: boolean;
  view?: BystanderView;
}


/**
 * The incident lifecycle: plan → persist → alert → answers → reassign → escalate → close. Every step
 * is written with its events (log and realtime outbox) in one transaction, then published.
 */
export function createIncidentService(deps: IncidentDeps) {
  const config = { ...DEFAULT_INCIDENT_CONFIG, ...deps.config };
  const { database, clock, logger } = deps;
  const answers = createAnswerSteps({ deps, database, clock, nearestFor: (incident) => nearestFor(incident) });
  const tokenOf = (incidentId: string) => createHmac('sha256', deps.secret).update(`incident:${incidentId}`).digest('base64url');

  /**
   * Writes in one transaction, then publishes what it appended. Statements handed to `defer` are sent
   * without waiting for each other: the driver pipelines them on the transaction's connection, in
   * order, together with the outbox append, saving round trips on the SOS path.
   */
  async function write<T>(fn: (tx: Database['db'], events: NewOutboxEvent[], defer: (p: Promise<unknown>) => void) => Promise<T>): Promise<T> {
    let appended: OutboxEvent[] = [];
    const result = await database.db.transaction(async (tx) => {
      const events: NewOutboxEvent[] = [];
      const pending: Promise<unknown>[] = [];
      const defer = (p: Promise<unknown>) => {
        // Handled below by Promise.all; this only keeps an early rejection from counting as unhandled.
        p.catch(() => {});
        pending.push(p);
      };
      const value = await fn(tx, events, defer);
      [appended] = await Promise.all([deps.outbox.append(tx, events), ...pending]);
      return value;
    });
    if (appended.length > 0) await deps.publish(appended);
    return result;
  }

  // PGlite has one connection: inside a transaction every query must go through `tx`, so whatever
  // needs other reads (nearest AEDs, fetch plans) is computed before the transaction starts.
  async function viewEvent(repo: IncidentRepository, incident: IncidentRow, nearest: NearestAedView[], known?: DispatchRow[]): Promise<NewOutboxEvent> {
    const dispatches = known ?? (await repo.listDispatches(incident.id));
    const view = bystanderView(incident, dispatches, spotText(incident), nearest, clock.now());
    return { recipient: incidentRecipient(incident.id), incidentId: incident.id, type: 'status', payload: { view } };
  }

  async function nearestFor(incident: { lat: number; lng: number }): Promise<NearestAedView[]> {
    return nearestForBystander(deps.planner, incident, clock.now());
  }

  const responders = createResponderSet(() => createIncidentRepository(database.db).listBusyVolunteerIds(), clock);
  const escalation = createEscalation({ deps, database, clock, logger, config, write, viewEvent, nearestFor });
  const { persistNew, createOnline, takeLimits } = createSosSteps({
    deps,
    database,
    clock,
    logger,
    joinWindowMs: config.joinWindowMs,
    write,
    viewEvent,
    onCreated: (incidentId) => escalation.schedule(incidentId, 1),
    spotFromMemory: deps.standby ? (code) => deps.standby!.standby.qrSpot(code) : undefined,
  });
  const standby = deps.standby
    ? createStandbyIncidents({
        ...deps.standby,
        persist: async (item, extraLog) => ((await persistNew(item.incident, item.plan, item.nearest, item.createdData, extraLog)) ? 'written' : 'duplicate'),
        takeLimits,
        onWritten: (incident) => escalation.schedule(incident.id, 1),
        joinWindowMs: config.joinWindowMs,
        clock,
        logger,
      })
    : null;

  return {
    publicTokenOf: tokenOf,

    verifyPublicToken(incidentId: string, token: string): boolean {
      const expected = Buffer.from(tokenOf(incidentId));
      const given = Buffer.from(token);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },

    /**
     * Raises an SOS from a QR spot. Idempotent on `clientRequestId`; a second SOS from the same spot
     * while an incident there is open joins it. Rate-limited per client and per spot. When the
     * database cannot be reached, the SOS still alerts the volunteers connected here, from memory,
     * and is written when the database is back (see incident-standby.ts).
     * @throws AppError UNKNOWN_QR_CODE, RATE_LIMITED, DATABASE_UNAVAILABLE (down, and the spot unknown here)
     */
    async create(input: CreateIncidentInput): Promise<CreatedIncident> {
      const pending = standby?.findRequest(input.clientRequestId);
      if (pending) return { incident: pending.incident, publicToken: tokenOf(pending.incident.id), created: false };
      const attempt = { incidentId: randomUUID(), limited: false };
      try {
        const made = await createOnline(input, attempt);
        return { ...made, publicToken: tokenOf(made.incident.id) };
      } catch (err) {
        if (!standby || !isDatabaseUnavailable(err)) throw err;
        logger.warn('database unreachable: raising the SOS from memory', { error: String(err) });
        const made = await standby.create(input, attempt);
        return { ...made, publicToken: tokenOf(made.incident.id) };
      }
    },

    /** The bystander's view of an incident. @throws NotFoundError unless the token is the incident's. */
    async view(incidentId: string, token: string) {
      if (!this.verifyPublicToken(incidentId, token)) throw new NotFoundError('No such incident');
      const pending = standby?.view(incidentId);
      if (pending) return pending;
      const repo = createIncidentRepository(database.db);
      const incident = await repo.findById(incidentId);
      if (!incident || !this.verifyPublicToken(incidentId, token)) throw new NotFoundError('No such incident');
      return bystanderView(incident, await repo.listDispatches(incidentId), spotText(incident), await nearestFor(incident), clock.now());
    },

    /**
     * A volunteer's answer. Accepting takes the role the incident still lacks; declining releases the
     * AED claim and hands the role on; arriving with the AED marks it in use.
     * @throws NotFoundError when the volunteer was not alerted; ConflictError on a closed incident or a stale answer.
     */
    async respond(volunteerId: string, incidentId: string, action: RespondAction) {
      // An SOS raised without the database: store it first (it fails again while the database is down).
      if (standby?.view(incidentId)) await standby.flush();
      const prepared = await answers.prepareAnswer(incidentId, volunteerId, action);
      const outcome = await write(async (tx, events) => {
        const repo = createIncidentRepository(tx);
        const incident = await repo.lock(incidentId);
        const dispatch = incident && (await repo.findDispatch(incidentId, volunteerId));
        if (!incident || !dispatch) throw new NotFoundError('You were not alerted for this incident');
        if (incident.state !== 'open') throw new ConflictError('INCIDENT_CLOSED', 'This incident is closed');
        const now = clock.now();
        const updated = await answers.applyAnswer(tx, repo, incident, dispatch, action, now, events, prepared);
        events.push(await viewEvent(repo, incident, prepared.nearest));
        return { updated, needsEscalation: action === 'decline' && !hasPendingCover(await repo.listDispatches(incidentId)) };
      });
      if (action === 'accept') responders.add(volunteerId);
      if (outcome.needsEscalation) {
        const wave = outcome.updated.wave;
        escalation.escalate(incidentId, wave).catch((err) => logger.error('escalation failed', { incidentId, error: String(err) }));
      }
      return outcome.updated;
    },

    /** Closes an incident (resolved by a responder or admin, cancelled by the bystander): everyone alerted is told. */
    async close(incidentId: string, state: 'resolved' | 'cancelled', actorId: string | null) {
      const known = await createIncidentRepository(database.db).findById(incidentId);
      if (!known) throw new NotFoundError('No such incident');
      const nearest = await nearestFor(known);
      await write(async (tx, events, defer) => {
        const repo = createIncidentRepository(tx);
        const incident = await repo.lock(incidentId);
        if (!incident) throw new NotFoundError('No such incident');
        if (incident.state !== 'open') return;
        const now = clock.now();
        const closed = (await repo.close(incidentId, state, now))!;
        for (const d of await repo.listDispatches(incidentId)) {
          if (d.status === 'alerted' || d.status === 'accepted' || d.status === 'arrived') {
            events.push({ recipient: userRecipient(d.volunteerId), incidentId, type: 'closed', payload: { incidentId, state } });
          }
        }
        // One statement for every alert still unanswered, sent with the claims' release and the log
        // entry; the bystander's view below reads the dispatches after them (same connection, in order).
        defer(repo.cancelAlerted(incidentId, now));
        defer(deps.aedClaims.release(incidentId, tx));
        defer(repo.appendEvents([{ incidentId, type: state, at: now, actorId }]));
        events.push(await viewEvent(repo, closed, nearest));
      });
      escalation.cancel(incidentId);
    },

    /** A volunteer's position while en route: shown to the bystander as an anonymous marker. */
    async trackResponder(volunteerId: string, position: { lat: number; lng: number }) {
      // Nearly every position comes from a volunteer on no incident: answered from memory.
      if (!(await responders.has(volunteerId))) return;
      const repo = createIncidentRepository(database.db);
      const active = (await repo.listActiveForVolunteer(volunteerId)).filter((d) => d.status === 'accepted');
      for (const d of active) {
        const incident = await repo.findById(d.incidentId);
        if (incident?.state !== 'open') continue;
        const nearest = await nearestFor(incident);
        await write(async (tx, events) => {
          const txRepo = createIncidentRepository(tx);
          await txRepo.updateDispatch(d.id, { lat: position.lat, lng: position.lng, positionAt: clock.now() });
          events.push(await viewEvent(txRepo, incident, nearest));
        });
      }
    },

    /** True when the volunteer accepted (or arrived on) this incident. */
    async isResponder(incidentId: string, volunteerId: string): Promise<boolean> {
      const d = await createIncidentRepository(database.db).findDispatch(incidentId, volunteerId);
      return d?.status === 'accepted' || d?.status === 'arrived';
    },

    async listTimeline(incidentId: string) {
      return createIncidentRepository(database.db).listEvents(incidentId);
    },

    /** Adopts open incidents whose process died or restarted, now and periodically. */
    startSweeping: escalation.startSweeping,
    sweepOrphans: escalation.sweep,

    /** Writes SOS that an earlier run raised while the database was down (its journal). */
    recoverPending: async () => (await standby?.recover()) ?? 0,
    /** SOS raised without the database and not yet written. */
    pendingCount: () => standby?.pendingCount() ?? 0,

    /** Stops timers (shutdown). */
    stop() {
      escalation.stop();
      standby?.stop();
    },
  };

}

export type IncidentService = ReturnType<typeof createIncidentService>;
