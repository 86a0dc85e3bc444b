/**
 * A volunteer's answer to an alert: accept takes the role still missing, decline frees the AED and
 * promotes a backup, arrival with the AED marks it in use. The reads an answer may need are done
 * before its transaction (PGlite has one connection: see incidents.ts).
 */
import type { Database } from '../db/client.ts';
import { createIncidentRepository, type DispatchRow, type IncidentRepository, type IncidentRow } from '../db/incident-repository.ts';
import type { NewOutboxEvent } from '../db/outbox-repository.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Clock } from './clock.ts';
import { alertPayload, type NearestAedView } from './incident-views.ts';
import { patientOf, roleFill, spotText, userRecipient, type FetchPlan, type PreparedAnswer } from './incident-rules.ts';
import type { IncidentDeps, RespondAction } from './incidents.ts';

export interface AnswerContext {
  deps: Pick<IncidentDeps, 'planner' | 'aedClaims'>;
  database: Database;
  clock: Clock;
  nearestFor(incident: IncidentRow): Promise<NearestAedView[]>;
}

/** The steps of an answer, bound to the incident service's dependencies. */
export function createAnswerSteps({ deps, database, clock, nearestFor }: AnswerContext) {
  /** Reads and plans what an answer may need, before its transaction (see viewEvent). */
    async function prepareAnswer(incidentId: string, volunteerId: string, action: RespondAction): Promise<PreparedAnswer> {
    const repo = createIncidentRepository(database.db);
    const incident = await repo.findById(incidentId);
    if (!incident) throw new NotFoundError('You were not alerted for this incident');
    const dispatches = await repo.listDispatches(incidentId);
    const patient = patientOf(incident);
    const at = clock.now();
    const fetchFor = (id: string) => deps.planner.fetchPlanFor({ volunteerId: id, incidentId, patient, at });
    const backup = dispatches.find((d) => d.status === 'alerted' && d.role === 'backup' && d.volunteerId !== volunteerId);
    const [nearest, myFetch, backupFetch] = await Promise.all([
      nearestFor(incident),
      action === 'accept' ? fetchFor(volunteerId) : null,
      action === 'decline' && backup ? fetchFor(backup.volunteerId) : null,
    ]);
    return { nearest, myFetch, backupFetch: backup && backupFetch ? { dispatchId: backup.id, ...backupFetch } : null };
  }

  async function applyAnswer(tx: Database['db'], repo: IncidentRepository, incident: IncidentRow, dispatch: DispatchRow, action: RespondAction, now: Date, events: NewOutboxEvent[], prepared: PreparedAnswer) {
    const expect: Record<RespondAction, DispatchRow['status'][]> = { accept: ['alerted'], decline: ['alerted', 'accepted'], arrived: ['accepted'] };
    if (!expect[action].includes(dispatch.status)) {
      if ((action === 'accept' && dispatch.status === 'accepted') || (action === 'arrived' && dispatch.status === 'arrived')) return dispatch; // a retried answer
      throw new ConflictError('DISPATCH_STATE', `Cannot ${action} an alert that is ${dispatch.status}`);
    }
    if (action === 'arrived') {
      if (dispatch.role === 'aed' && dispatch.aedId) await deps.aedClaims.markInUse(dispatch.aedId, tx);
      await repo.appendEvents([{ incidentId: incident.id, type: 'arrived', at: now, actorId: dispatch.volunteerId, data: { role: dispatch.role, aedId: dispatch.aedId } }]);
      return (await repo.updateDispatch(dispatch.id, { status: 'arrived', arrivedAt: now }))!;
    }
    if (action === 'decline') {
      if (dispatch.role === 'aed' && dispatch.aedId) await deps.aedClaims.release(incident.id, tx, dispatch.aedId);
      await repo.appendEvents([{ incidentId: incident.id, type: 'declined', at: now, actorId: dispatch.volunteerId, data: { role: dispatch.role, wasAccepted: dispatch.status === 'accepted' } }]);
      const declined = (await repo.updateDispatch(dispatch.id, { status: 'declined', answeredAt: now }))!;
      await reassign(tx, repo, incident, now, events, prepared.backupFetch);
      return declined;
    }
    const role = await roleOnAccept(tx, repo, incident, dispatch, prepared.myFetch);
    const patch: Partial<DispatchRow> = { status: 'accepted', answeredAt: now, role: role.role, aedId: role.aedId, etaS: role.etaS ?? dispatch.etaS };
    if (role.aedId && role.aedId !== dispatch.aedId && !(await deps.aedClaims.claim(role.aedId, incident.id, tx))) {
      Object.assign(patch, { role: 'cpr', aedId: null });
    }
    const accepted = (await repo.updateDispatch(dispatch.id, patch))!;
    await repo.appendEvents([{ incidentId: incident.id, type: 'accepted', at: now, actorId: dispatch.volunteerId, data: { role: accepted.role, aedId: accepted.aedId } }]);
    if (accepted.role !== dispatch.role || accepted.aedId !== dispatch.aedId) {
      const briefs = await deps.aedClaims.briefs(accepted.aedId ? [accepted.aedId] : [], tx);
      events.push({ recipient: userRecipient(accepted.volunteerId), incidentId: incident.id, type: 'assignment', payload: alertPayload(incident, accepted, spotText(incident), accepted.aedId ? (briefs.get(accepted.aedId) ?? null) : null) });
    }
    return accepted;
  }

  /** The role an accepting volunteer takes: the AED run if nobody committed to it and they can fetch one, else CPR. */
  async function roleOnAccept(tx: Database['db'], repo: IncidentRepository, incident: IncidentRow, dispatch: DispatchRow, fetch: FetchPlan | null): Promise<{ role: DispatchRow['role']; aedId: string | null; etaS?: number }> {
    const filled = roleFill(await repo.listDispatches(incident.id));
    if (dispatch.role === 'aed' && !filled.aed) return { role: 'aed', aedId: dispatch.aedId };
    if (!filled.aed && fetch && (filled.cpr || fetch.withinBudget)) return { role: 'aed', aedId: fetch.aedId, etaS: Math.round(fetch.etaS) };
    if (dispatch.role === 'aed' && dispatch.aedId) await deps.aedClaims.release(incident.id, tx, dispatch.aedId);
    return { role: 'cpr', aedId: null };
  }

  /** After a decline: if a needed role has nobody left who might take it, the next accept fills it; the timer widens the search. */
  async function reassign(tx: Database['db'], repo: IncidentRepository, incident: IncidentRow, now: Date, events: NewOutboxEvent[], fetch: PreparedAnswer['backupFetch']) {
    const dispatches = await repo.listDispatches(incident.id);
    const filled = roleFill(dispatches);
    if (filled.aed || dispatches.some((d) => d.role === 'aed' && d.status === 'alerted')) return;
    // Promote a still-alerted backup to the AED run so somebody is asked for it by name.
    const candidate = fetch && dispatches.find((d) => d.id === fetch.dispatchId && d.status === 'alerted');
    if (!candidate || !(await deps.aedClaims.claim(fetch.aedId, incident.id, tx))) return;
    const updated = (await repo.updateDispatch(candidate.id, { role: 'aed', aedId: fetch.aedId, etaS: Math.round(fetch.etaS) }))!;
    const briefs = await deps.aedClaims.briefs([fetch.aedId], tx);
    events.push({ recipient: userRecipient(updated.volunteerId), incidentId: incident.id, type: 'assignment', payload: alertPayload(incident, updated, spotText(incident), briefs.get(fetch.aedId) ?? null) });
    await repo.appendEvents([{ incidentId: incident.id, type: 'reassigned', at: now, actorId: updated.volunteerId, data: { role: 'aed', aedId: fetch.aedId } }]);
  }

  return { prepareAnswer, applyAnswer };
}
