import type { DispatchRow, IncidentRow } from '../db/incident-repository.ts';
import type { HoursAhead } from '../domain/availability.ts';
import type { BuildingName } from '../domain/building-finder.ts';

/** An AED as volunteers and bystanders see it: where it is and how to find it. */
export interface AedBrief {
  id: string;
  lat: number;
  lng: number;
  level: string | null;
  indoor: boolean | null;
  location: string | null;
  locationZh: string | null;
  locationEn: string | null;
  openingHours: string | null;
  /** The campus building it is in or on, when it is near one. */
  building: BuildingName | null;
}

export interface NearestAedView extends AedBrief {
  distanceM: number;
  walkTimeS: number;
  usableNow: boolean;
  /** Open now by its hours and until when, or from when: null without evaluable hours. */
  hoursNow: HoursAhead | null;
  /** Usable now, but its hours close it before someone walking from here gets there. */
  closesBeforeArrival: boolean;
}

/** Where the patient is, as the QR spot describes it. */
export interface SpotText {
  buildingName: string | null;
  floor: string | null;
  entrance: string | null;
  entranceZh: string | null;
}

const ACTIVE: DispatchRow['status'][] = ['alerted', 'accepted', 'arrived'];
const COMMITTED: DispatchRow['status'][] = ['accepted', 'arrived'];

/** The alert a volunteer receives: the patient's spot, their role, the AED to fetch. */
export function alertPayload(incident: IncidentRow, dispatch: DispatchRow, spot: SpotText, aed: AedBrief | null) {
  return {
    incidentId: incident.id,
    dispatchId: dispatch.id,
    role: dispatch.role,
    status: dispatch.status,
    etaS: dispatch.etaS,
    isDrill: incident.isDrill,
    alertedAt: dispatch.alertedAt.toISOString(),
    patient: { lat: incident.lat, lng: incident.lng, level: incident.level, ...spot },
    aed,
  };
}

/**
 * What the bystander sees: counts, ETAs and, for volunteers who accepted, an anonymous approaching
 * marker. Never a volunteer's id, name or position before they accept (DESIGN, "Privacy and safety").
 */
export function bystanderView(incident: IncidentRow, dispatches: DispatchRow[], spot: SpotText, nearestAeds: NearestAedView[], now: Date) {
  const active = dispatches.filter((d) => ACTIVE.includes(d.status));
  const committed = dispatches.filter((d) => COMMITTED.includes(d.status));
  const etaAt = (d: DispatchRow) => (d.status === 'arrived' ? d.arrivedAt! : new Date(d.alertedAt.getTime() + (d.etaS ?? 0) * 1000));
  const best = (rows: DispatchRow[]) => rows.map(etaAt).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const cprRows = committed.filter((d) => d.role === 'cpr' || d.role === 'backup');
  const aedRows = committed.filter((d) => d.role === 'aed');
  const plannedAed = active.filter((d) => d.role === 'aed');
  const plannedCpr = active.filter((d) => d.role !== 'aed');
  const secondsUntil = (at: Date | null) => (at === null ? null : Math.max(0, Math.round((at.getTime() - now.getTime()) / 1000)));
  const cprAt = best(cprRows) ?? best(plannedCpr);
  const aedAt = best(aedRows) ?? best(plannedAed);
  return {
    incidentId: incident.id,
    state: incident.state,
    isDrill: incident.isDrill,
    createdAt: incident.createdAt.toISOString(),
    closedAt: incident.closedAt?.toISOString() ?? null,
    location: { lat: incident.lat, lng: incident.lng, level: incident.level, ...spot },
    alerted: active.length,
    accepted: committed.length,
    cpr: { confirmed: cprRows.length > 0, etaAt: cprAt?.toISOString() ?? null, etaS: secondsUntil(cprAt), arrived: cprRows.some((d) => d.status === 'arrived') },
    aed: { confirmed: aedRows.length > 0, etaAt: aedAt?.toISOString() ?? null, etaS: secondsUntil(aedAt), arrived: aedRows.some((d) => d.status === 'arrived') },
    // Labels A, B, C… in alert order: enough to tell markers apart, nothing about who they are.
    responders: committed.map((d) => ({
      label: String.fromCharCode(65 + (dispatches.indexOf(d) % 26)),
      role: d.role === 'aed' ? ('aed' as const) : ('cpr' as const),
      status: d.status,
      etaAt: etaAt(d).toISOString(),
      position: d.lat !== null && d.lng !== null ? { lat: d.lat, lng: d.lng } : null,
    })),
    nearestAeds,
  };
}

export type BystanderView = ReturnType<typeof bystanderView>;
export type AlertPayload = ReturnType<typeof alertPayload>;
