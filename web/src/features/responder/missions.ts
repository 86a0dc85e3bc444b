import type { LatLng } from '../../components/campus-map/types.ts';

export type MissionRole = 'cpr' | 'aed' | 'backup';
export type MissionStatus = 'alerted' | 'accepted' | 'arrived' | 'declined' | 'cancelled' | 'expired' | string;

export interface MissionAed extends LatLng {
  id: string;
  level: string | null;
  indoor: boolean | null;
  location: string | null;
  locationZh: string | null;
  locationEn: string | null;
  openingHours: string | null;
  /** Absent in alerts stored before AEDs were named after their building. */
  building?: { name: string; nameZh: string | null } | null;
}

export interface MissionPatient extends LatLng {
  level: number | null;
  buildingName: string | null;
  floor: string | null;
  entrance: string | null;
  /** Absent in alerts from before the Chinese entrance was sent. */
  entranceZh?: string | null;
  locationText?: string | null;
}

/** One incident as this volunteer sees it: the alert, then the role after answering. */
export interface Mission {
  incidentId: string;
  dispatchId: string;
  role: MissionRole;
  status: MissionStatus;
  etaS: number | null;
  isDrill: boolean;
  alertedAt: string;
  patient: MissionPatient;
  aed: MissionAed | null;
  closed: 'resolved' | 'cancelled' | null;
}

export type Missions = Readonly<Record<string, Mission>>;

/** Alerts older than this (a replayed backlog) are not sounded again. */
export const ALERT_MAX_AGE_MS = 30 * 60_000;

const RANK: Record<string, number> = { alerted: 0, accepted: 1, arrived: 2 };
const TERMINAL = new Set(['declined', 'cancelled', 'expired']);

/**
 * Folds one realtime event (`alert`, `assignment`, `closed`) into the missions. Events may be replayed
 * after a reconnect: a replayed `alert` never undoes an answer already given.
 */
export function applyEvent(missions: Missions, event: { type: string; [key: string]: unknown }): Missions {
  if (event.type === 'closed') {
    const id = event.incidentId as string;
    const m = missions[id];
    const state = event.state === 'cancelled' ? 'cancelled' : 'resolved';
    return m ? { ...missions, [id]: { ...m, closed: state } } : missions;
  }
  if (event.type !== 'alert' && event.type !== 'assignment') return missions;
  const p = event as unknown as Omit<Mission, 'closed'>;
  if (typeof p.incidentId !== 'string' || !p.patient) return missions;
  const prev = missions[p.incidentId];
  const next: Mission = {
    incidentId: p.incidentId,
    dispatchId: p.dispatchId,
    role: p.role,
    status: p.status,
    etaS: p.etaS ?? null,
    isDrill: !!p.isDrill,
    alertedAt: p.alertedAt,
    patient: p.patient,
    aed: p.aed ?? null,
    closed: prev?.closed ?? null,
  };
  if (prev && event.type === 'alert' && (TERMINAL.has(prev.status) || (RANK[prev.status] ?? 0) > (RANK[next.status] ?? 0))) {
    return missions;
  }
  return { ...missions, [p.incidentId]: next };
}

/** Applies the answer the API confirmed (accept, decline, arrived). */
export function applyDispatch(missions: Missions, d: { incidentId: string; role: MissionRole; status: string; aedId: string | null; etaS: number | null }): Missions {
  const m = missions[d.incidentId];
  if (!m) return missions;
  // A new AED's details come with the `assignment` event (before or after this answer): keep ours only if it is the same AED.
  const aed = d.aedId !== null && m.aed?.id === d.aedId ? m.aed : null;
  const status = !TERMINAL.has(d.status) && (RANK[m.status] ?? 0) > (RANK[d.status] ?? 0) ? m.status : d.status;
  return { ...missions, [d.incidentId]: { ...m, role: d.role, status, etaS: d.etaS ?? m.etaS, aed } };
}

/** The alert waiting for an answer, newest first, that should take over the screen. */
export function pendingAlert(missions: Missions, nowMs: number): Mission | null {
  return (
    Object.values(missions)
      .filter((m) => m.status === 'alerted' && !m.closed && nowMs - Date.parse(m.alertedAt) < ALERT_MAX_AGE_MS)
      .sort((a, b) => Date.parse(b.alertedAt) - Date.parse(a.alertedAt))[0] ?? null
  );
}

/** The mission the volunteer accepted and is on (or just finished, to show how it closed). */
export function activeMission(missions: Missions): Mission | null {
  return Object.values(missions).find((m) => (m.status === 'accepted' || m.status === 'arrived') && !m.closed) ?? null;
}

/** Missions that closed while the volunteer was on them: shown once, then dismissed. */
export function closedMissions(missions: Missions): Mission[] {
  return Object.values(missions).filter((m) => m.closed && (m.status === 'accepted' || m.status === 'arrived'));
}

/** The straight-line direction: volunteer → (AED) → patient. */
export function directionPath(self: LatLng | null, mission: Mission): LatLng[] {
  const points: LatLng[] = [];
  if (self) points.push(self);
  if (mission.role === 'aed' && mission.aed && mission.status !== 'arrived') points.push(mission.aed);
  points.push(mission.patient);
  return points;
}
