/**
 * Raising an SOS with the database: the reads (a retry, the spot, an open incident there), the plan,
 * and one transaction for the incident, its AED claims, dispatches, log and events, then the alerts.
 * Also writes an SOS raised without the database once it is back (incident-standby.ts).
 */
import type { Database } from '../db/client.ts';
import { createIncidentRepository, type DispatchRow, type IncidentRepository, type IncidentRow } from '../db/incident-repository.ts';
import type { NewOutboxEvent } from '../db/outbox-repository.ts';
import { isIntegrityViolation } from '../db/unavailable.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { QrSpotRow } from '../db/campus-repository.ts';
import type { Clock } from './clock.ts';
import { alertEvents, createdData, nearestForBystander, newIncidentRow, patientFromSpot, planLog, plannedDispatches, type IncidentLogEntry } from './incident-rules.ts';
import type { BystanderView, NearestAedView } from './incident-views.ts';
import type { CreatedIncident, CreateIncidentInput, IncidentDeps } from './incidents.ts';
import type { PlanOutcome } from './planner.ts';

export interface SosContext {
  deps: Pick<IncidentDeps, 'planner' | 'aedClaims' | 'findQrSpot' | 'limits'>;
  database: Database;
  clock: Clock;
  logger: Logger;
  joinWindowMs: number;
  write<T>(fn: (tx: Database['db'], events: NewOutboxEvent[], defer: (p: Promise<unknown>) => void) => Promise<T>): Promise<T>;
  viewEvent(repo: IncidentRepository, incident: IncidentRow, nearest: NearestAedView[], known?: DispatchRow[]): Promise<NewOutboxEvent>;
  /** A new incident is stored: its escalation timing starts. */
  onCreated(incidentId: string): void;
  /** The QR spot of a code as this process last read it, if it remembers one (standby snapshot). */
  spotFromMemory?(code: string): QrSpotRow | undefined;
}

/** Two readings of a QR spot that plan alike: same spot, campus, point and floor. */
function plansAlike(a: QrSpotRow, b: QrSpotRow): boolean {
  return a.id === b.id && a.campusId === b.campusId && a.lat === b.lat && a.lng === b.lng && a.floor === b.floor;
}

/** Thrown inside the SOS transaction when its client request id was inserted by a concurrent request. */
class DuplicateRequest extends Error {
  override name = 'DuplicateRequest';
}

/** What persistNew writes: the incident row, its plan, the bystander's nearest AEDs and the log's extras. */
interface NewSos {
  row: IncidentRow;
  plan: PlanOutcome;
  nearest: NearestAedView[];
  createdData: Record<string, unknown>;
  extraLog: IncidentLogEntry[];
}

/** Thrown inside the SOS transaction when another incident claimed a runner's AED since the plan read it. */
class ClaimLost extends Error {
  override name = 'ClaimLost';
}

export function createSosSteps(ctx: SosContext) {
  const { deps, database, clock, logger } = ctx;

  /**
   * Writes a new incident with its plan: claims, dispatches, log and the alert and status events;
   * undefined when its request was written already. A runner whose AED another incident claimed
   * since the plan read it is alerted as a backup.
   *
   * Tried first at once (persistAtOnce); when a claim was lost or a statement broke a constraint (a
   * concurrent request wrote the incident first), that transaction rolled back and it is written
   * again step by step, claims first.
   */
  async function persistNew(row: IncidentRow, plan: PlanOutcome, nearest: NearestAedView[], createdData: Record<string, unknown>, extraLog: IncidentLogEntry[] = []) {
    const sos: NewSos = { row, plan, nearest, createdData, extraLog };
    try {
      return await persistAtOnce(sos);
    } catch (err) {
      if (err instanceof DuplicateRequest) return undefined;
      if (!(err instanceof ClaimLost) && !isIntegrityViolation(err)) throw err;
      logger.info('SOS written again step by step', { incidentId: row.id, reason: err instanceof ClaimLost ? 'an AED claim was lost' : String(err) });
    }
    return persistStepwise(sos);
  }

  /**
   * The SOS transaction with its statements in one round trip between BEGIN and COMMIT: the incident,
   * its claims, dispatches, log and outbox go out together, as if the request is new and every claim
   * holds, and are checked as their answers come back. Step by step (below) waits for the incident
   * and claims first: a round trip more. On loopback that is little (the transaction's median 3.4-3.6
   * ms step by step, 3.2-3.3 ms at once, `npm run bench -- sos`); across a network, a network RTT.
   * @throws DuplicateRequest, ClaimLost (the transaction rolled back)
   */
  function persistAtOnce(sos: NewSos) {
    const { row, plan } = sos;
    return ctx.write(async (tx, events, defer) => {
      const txRepo = createIncidentRepository(tx);
      // Each answer is checked as it comes; a failed check rolls the whole transaction back.
      const check = (statement: Promise<unknown>, failure: () => Error) =>
        defer(
          statement.then((ok) => {
            if (!ok) throw failure();
          }),
        );
      check(txRepo.insertIfNew(row), () => new DuplicateRequest());
      for (const a of plan.assignments) if (a.role === 'aed' && a.aedId) check(deps.aedClaims.claim(a.aedId, row.id, tx), () => new ClaimLost());
      const dispatches = plannedDispatches(row, plan, 1, row.createdAt, new Set());
      return logAndAlert(txRepo, row, dispatches, sos, events, defer);
    });
  }

  /** The SOS transaction step by step: the incident and claims first, then the rest with the runners whose claims held. */
  function persistStepwise(sos: NewSos) {
    const { row, plan } = sos;
    return ctx
      .write(async (tx, events, defer) => {
        const txRepo = createIncidentRepository(tx);
        const runners = plan.assignments.filter((a) => a.role === 'aed' && a.aedId);
        // The incident row and the runners' AED claims go out together (claims need no FK).
        const [incident, ...claimed] = await Promise.all([txRepo.insertIfNew(row), ...runners.map((a) => deps.aedClaims.claim(a.aedId!, row.id, tx))]);
        // The same request won a race on another connection: roll back (and the claims with it).
        if (!incident) throw new DuplicateRequest();
        const lostClaims = new Set(runners.filter((_, i) => !claimed[i]).map((a) => a.volunteerId));
        const dispatches = plannedDispatches(incident, plan, 1, row.createdAt, lostClaims);
        return logAndAlert(txRepo, incident, dispatches, sos, events, defer);
      })
      .catch((err: unknown) => {
        if (err instanceof DuplicateRequest) return undefined;
        throw err;
      });
  }

  /** Inside the SOS transaction: the dispatches and log written, the alert and status events appended. */
  async function logAndAlert(txRepo: IncidentRepository, incident: IncidentRow, dispatches: DispatchRow[], sos: NewSos, events: NewOutboxEvent[], defer: (p: Promise<unknown>) => void) {
    const { plan, nearest, createdData, extraLog } = sos;
    const created = { incidentId: incident.id, type: 'created', at: incident.createdAt, data: createdData };
    defer(txRepo.insertPlannedDispatches(dispatches));
    defer(txRepo.appendEvents([created, ...planLog(incident, plan, 1, incident.createdAt, dispatches), ...extraLog]));
    events.push(...alertEvents(incident, dispatches, plan));
    const status = await ctx.viewEvent(txRepo, incident, nearest, dispatches);
    events.push(status);
    return { incident, view: (status.payload as { view: BystanderView }).view };
  }

  /**
   * The SOS with the database: reads, plan, one transaction, alerts. A retry or a second SOS at an
   * open incident's spot gets that incident.
   *
   * When this process remembers the QR spot (the standby snapshot) planning starts at once, beside
   * the reads, and is used if the database's spot plans the same: the reads' round trip no longer
   * comes before the plan's. A plan started for a retry, a joined SOS or a spot that changed is
   * dropped; none is started for an SOS its limits would refuse.
   */
  async function createOnline(input: CreateIncidentInput, attempt: { incidentId: string; limited: boolean }): Promise<Omit<CreatedIncident, 'publicToken'>> {
    const repo = createIncidentRepository(database.db);
    const remembered = ctx.spotFromMemory?.(input.qrCode);
    const early = remembered && withinLimits(input, remembered.id) ? planAt(remembered, input) : undefined;
    early?.catch(() => {}); // awaited below, or dropped
    const [{ existing, open }, spot] = await Promise.all([repo.findRequestAndOpen(input.clientRequestId), deps.findQrSpot(input.qrCode)]);
    if (existing) return { incident: existing, created: false };
    if (!spot) throw new AppError('UNKNOWN_QR_CODE', 'This QR code is not registered. Call 120 and describe where you are.');
    const joined = open.find((i) => i.qrSpotId === spot.id && clock.now().getTime() - i.createdAt.getTime() < ctx.joinWindowMs && i.isDrill === !!input.isDrill);
    if (joined) return { incident: joined, created: false };
    takeLimits(input, spot.id);
    attempt.limited = true;

    const { patient, now, plan, nearest } = early && plansAlike(remembered!, spot) ? await early : await planAt(spot, input);
    const row = newIncidentRow({ id: attempt.incidentId, spot, patient, clientRequestId: input.clientRequestId, gps: input.gps, isDrill: !!input.isDrill, plan, now });
    const result = await persistNew(row, plan, nearest, createdData(spot, input));
    if (!result) {
      const raced = (await repo.findByClientRequestId(input.clientRequestId))!;
      return { incident: raced, created: false };
    }
    ctx.onCreated(result.incident.id);
    logger.info('incident created', { incidentId: result.incident.id, alerted: plan.assignments.length, reason: plan.reason ?? null });
    return { incident: result.incident, created: true, view: result.view };
  }

  /** The first wave's plan and the bystander's nearest AEDs for an SOS at this spot, now. */
  async function planAt(spot: QrSpotRow, input: CreateIncidentInput) {
    const patient = patientFromSpot(spot, input.gps);
    const now = clock.now();
    const [plan, nearest] = await Promise.all([
      deps.planner.plan({ campusId: spot.campusId, patient, at: now, excludeVolunteerIds: new Set(), radiusFactor: 1, needCpr: true, needAed: true, drill: !!input.isDrill }),
      nearestForBystander(deps.planner, patient, now),
    ]);
    return { patient, now, plan, nearest };
  }

  /** Whether both limits would let this SOS through (takes nothing). */
  function withinLimits(input: CreateIncidentInput, spotId: string): boolean {
    try {
      deps.limits.perClient.check(input.clientKey, '');
      deps.limits.perSpot.check(spotId, '');
      return true;
    } catch {
      return false;
    }
  }

  /** Takes one SOS from both limits, or from neither: a spot's refusal does not spend the client's allowance. */
  function takeLimits(input: CreateIncidentInput, spotId: string) {
    const client = 'Too many SOS from this device; call 120';
    const spot = 'Too many SOS from this QR code; call 120';
    deps.limits.perClient.check(input.clientKey, client);
    deps.limits.perSpot.check(spotId, spot);
    deps.limits.perClient.take(input.clientKey, client);
    deps.limits.perSpot.take(spotId, spot);
  }

  return { persistNew, createOnline, takeLimits };
}
