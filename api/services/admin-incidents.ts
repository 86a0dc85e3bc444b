import type { DispatchRow, IncidentEventRow, IncidentRepository, IncidentRow } from '../db/incident-repository.ts';
import type { UserRepository } from '../db/user-repository.ts';
import { NotFoundError } from '../errors.ts';
import { spotText } from './incident-rules.ts';
import type { SpotText } from './incident-views.ts';

/** Seconds from the SOS, the after-action report's figures. Null when it never happened. */
export interface ResponseTimes {
  firstAcceptS: number | null;
  /** First responder at the patient: compressions can start. */
  firstArrivalS: number | null;
  /** First AED at the patient. */
  aedArrivalS: number | null;
  /** What the first plan promised. */
  plannedCprEtaS: number | null;
  plannedAedEtaS: number | null;
}

export interface IncidentSummary {
  id: string;
  campusId: string | null;
  state: IncidentRow['state'];
  isDrill: boolean;
  createdAt: string;
  closedAt: string | null;
  lat: number;
  lng: number;
  level: number | null;
  /** The QR spot's text in one line, both languages, as API clients have had it; null without a spot. */
  locationText: string | null;
  /** The same spot in parts, for a page to show in its reader's language; null without a spot. */
  location: SpotText | null;
  alerted: number;
  accepted: number;
  arrived: number;
  times: ResponseTimes;
}

export interface TimelineEntry {
  at: string;
  /** Seconds since the SOS. */
  sinceS: number;
  type: string;
  actorId: string | null;
  actorName: string | null;
  data: Record<string, unknown>;
}

export interface IncidentDetail extends IncidentSummary {
  dispatches: {
    volunteerId: string;
    volunteerName: string | null;
    role: DispatchRow['role'];
    status: DispatchRow['status'];
    aedId: string | null;
    etaS: number | null;
    wave: number;
    alertedAt: string;
    answeredAt: string | null;
    arrivedAt: string | null;
    /** Shown only once the volunteer accepted (DESIGN.md, "Privacy and safety"). */
    position: { lat: number; lng: number; at: string | null } | null;
  }[];
  timeline: TimelineEntry[];
}

const secondsBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 100) / 10;

function firstAt(events: IncidentEventRow[], match: (e: IncidentEventRow) => boolean): Date | null {
  const hit = events.find(match);
  return hit ? hit.at : null;
}

const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Response times of one incident from its event log (events are appended in order), with the
 * dispatch rows as a fallback for arrivals logged before events existed.
 */
export function responseTimes(incident: IncidentRow, dispatches: DispatchRow[], events: IncidentEventRow[]): ResponseTimes {
  const start = incident.createdAt;
  const since = (at: Date | null) => (at ? secondsBetween(start, at) : null);
  const arrivals = dispatches.filter((d) => d.arrivedAt).sort((a, b) => a.arrivedAt!.getTime() - b.arrivedAt!.getTime());
  const isAed = (e: IncidentEventRow) => e.type === 'arrived' && (e.data.role === 'aed' || Boolean(e.data.aedId));
  const firstArrival = firstAt(events, (e) => e.type === 'arrived') ?? arrivals[0]?.arrivedAt ?? null;
  const aedArrival = firstAt(events, isAed) ?? arrivals.find((d) => d.role === 'aed' && d.aedId)?.arrivedAt ?? null;
  const planned = events.find((e) => e.type === 'planned')?.data ?? {};
  return {
    firstAcceptS: since(firstAt(events, (e) => e.type === 'accepted')),
    firstArrivalS: since(firstArrival),
    aedArrivalS: since(aedArrival),
    plannedCprEtaS: numberOrNull(planned.cprEtaS),
    plannedAedEtaS: numberOrNull(planned.aedEtaS),
  };
}

function summarize(incident: IncidentRow, dispatches: DispatchRow[], events: IncidentEventRow[]): IncidentSummary {
  return {
    id: incident.id,
    campusId: incident.campusId,
    state: incident.state,
    isDrill: incident.isDrill,
    createdAt: incident.createdAt.toISOString(),
    closedAt: incident.closedAt?.toISOString() ?? null,
    lat: incident.lat,
    lng: incident.lng,
    level: incident.level,
    // The row packs building, floor, entrance and its Chinese text with U+001F separators (see incident-rules spotText).
    locationText: incident.locationText ? incident.locationText.split('\u001f').filter(Boolean).join(' · ') : null,
    location: incident.locationText ? spotText(incident) : null,
    alerted: dispatches.length,
    accepted: new Set(events.filter((e) => e.type === 'accepted').map((e) => e.actorId)).size,
    arrived: dispatches.filter((d) => d.status === 'arrived').length,
    times: responseTimes(incident, dispatches, events),
  };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
}

/** Live incidents and after-action reports for the console. */
export function createAdminIncidentService(deps: { incidents: IncidentRepository; users: UserRepository }) {
  const { incidents, users } = deps;

  async function summaries(rows: IncidentRow[]): Promise<IncidentSummary[]> {
    const ids = rows.map((r) => r.id);
    const [dispatches, events] = await Promise.all([incidents.listDispatchesOf(ids), incidents.listEventsOf(ids)]);
    const d = groupBy(dispatches, (x) => x.incidentId);
    const e = groupBy(events, (x) => x.incidentId);
    return rows.map((r) => summarize(r, d.get(r.id) ?? [], e.get(r.id) ?? []));
  }

  return {
    /** Open incidents, oldest first: the live board. */
    async listOpen(): Promise<IncidentSummary[]> {
      return summaries(await incidents.listOpen());
    },

    /** Incidents created in [from, to), newest first, with their response times. */
    async reports(filter: { from?: Date; to?: Date; includeDrills?: boolean; limit: number }): Promise<IncidentSummary[]> {
      return summaries(await incidents.listBetween(filter));
    },

    /** One incident with who was alerted, who accepted and arrived, and when. */
    async detail(id: string): Promise<IncidentDetail> {
      const incident = await incidents.findById(id);
      if (!incident) throw new NotFoundError('No incident with this id');
      const [dispatches, events] = await Promise.all([incidents.listDispatchesOf([id]), incidents.listEventsOf([id])]);
      const actorIds = new Set([...dispatches.map((d) => d.volunteerId), ...events.map((e) => e.actorId).filter((x): x is string => x !== null)]);
      const names = new Map((await users.listNames([...actorIds])).map((u) => [u.id, u.displayName]));
      const shown = (d: DispatchRow) => (d.status === 'accepted' || d.status === 'arrived') && d.lat !== null && d.lng !== null;
      return {
        ...summarize(incident, dispatches, events),
        dispatches: dispatches.map((d) => ({
          volunteerId: d.volunteerId,
          volunteerName: names.get(d.volunteerId) ?? null,
          role: d.role,
          status: d.status,
          aedId: d.aedId,
          etaS: d.etaS,
          wave: d.wave,
          alertedAt: d.alertedAt.toISOString(),
          answeredAt: d.answeredAt?.toISOString() ?? null,
          arrivedAt: d.arrivedAt?.toISOString() ?? null,
          position: shown(d) ? { lat: d.lat!, lng: d.lng!, at: d.positionAt?.toISOString() ?? null } : null,
        })),
        timeline: events.map((e) => ({
          at: e.at.toISOString(),
          sinceS: secondsBetween(incident.createdAt, e.at),
          type: e.type,
          actorId: e.actorId,
          actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
          data: e.data,
        })),
      };
    },
  };
}

export type AdminIncidentService = ReturnType<typeof createAdminIncidentService>;
