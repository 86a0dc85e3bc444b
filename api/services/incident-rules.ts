/**
 * Rules and builders of the incident lifecycle that need no I/O: where the patient is, which roles are
 * filled, the dispatch rows and log entries of a plan, what the bystander's AED list shows.
 */
import { randomUUID } from 'node:crypto';
import type { QrSpotRow } from '../db/campus-repository.ts';
import { cellOf } from '../db/h3-column.ts';
import type { DispatchRow, IncidentRepository, IncidentRow } from '../db/incident-repository.ts';
import type { NewOutboxEvent } from '../db/outbox-repository.ts';
import { alertPayload, type NearestAedView, type SpotText } from './incident-views.ts';
import type { IncidentPlanner, PlanOutcome } from './planner.ts';

export type IncidentLogEntry = Parameters<IncidentRepository['appendEvents']>[0][number];

export type FetchPlan = { aedId: string; etaS: number; withinBudget: boolean };

export interface PreparedAnswer {
  nearest: NearestAedView[];
  /** The best AED run for the answering volunteer (accept). */
  myFetch: FetchPlan | null;
  /** The best AED run for the first still-alerted backup (decline of the runner). */
  backupFetch: (FetchPlan & { dispatchId: string }) | null;
}

export const userRecipient = (id: string) => `user:${id}`;
export const incidentRecipient = (id: string) => `incident:${id}`;
/** A GPS fix this good and this close to the spot moves the patient from the QR spot to the fix. */
const GPS_TRUST_ACCURACY_M = 25;
const GPS_MAX_SHIFT_M = 150;

/** The QR spot's text, packed in the incident row when it was raised. */
export function spotText(incident: IncidentRow): SpotText {
  // Incidents stored before the Chinese entrance was kept have three parts.
  const [buildingName = null, floor = null, entrance = null, entranceZh = null] = (incident.locationText ?? '').split('\u001f').map((part) => part || null);
  return { buildingName, floor, entrance, entranceZh };
}

/** The row of a new incident raised at a QR spot, built here so the SOS can also proceed without the database. */
export function newIncidentRow(args: {
  id: string;
  spot: QrSpotRow;
  patient: { lat: number; lng: number; level: number | null };
  clientRequestId: string;
  gps?: { lat: number; lng: number; accuracyM?: number };
  isDrill: boolean;
  plan: PlanOutcome;
  now: Date;
}): IncidentRow {
  const { spot, patient, gps } = args;
  return {
    id: args.id,
    campusId: spot.campusId,
    qrSpotId: spot.id,
    clientRequestId: args.clientRequestId,
    publicTokenHash: 'hmac',
    state: 'open',
    isDrill: args.isDrill,
    lat: patient.lat,
    lng: patient.lng,
    level: patient.level,
    h3Cell: cellOf(patient),
    locationText: [spot.buildingName ?? '', spot.floor ?? '', spot.entrance ?? '', spot.entranceZh ?? ''].join('\u001f'),
    gpsLat: gps?.lat ?? null,
    gpsLng: gps?.lng ?? null,
    gpsAccuracyM: gps?.accuracyM ?? null,
    plan: args.plan.summary,
    createdAt: args.now,
    closedAt: null,
  };
}

/** The 'created' log entry's data. */
export function createdData(spot: QrSpotRow, input: { gps?: { lat: number; lng: number; accuracyM?: number }; isDrill?: boolean }) {
  return { qrSpotId: spot.id, gps: input.gps ?? null, isDrill: !!input.isDrill };
}

/** Dispatch rows for a plan, built here (ids included) so they need no read-back. */
export function plannedDispatches(incident: IncidentRow, plan: PlanOutcome, wave: number, now: Date, lostClaims: Set<string>): DispatchRow[] {
  return plan.assignments.map((a) => ({
    id: randomUUID(),
    incidentId: incident.id,
    volunteerId: a.volunteerId,
    // A runner whose AED another incident claimed first is alerted as a backup.
    role: a.role === 'aed' && lostClaims.has(a.volunteerId) ? 'backup' : a.role,
    aedId: a.role === 'aed' && lostClaims.has(a.volunteerId) ? null : a.aedId,
    status: 'alerted',
    etaS: Math.round(a.etaS),
    wave,
    alertedAt: now,
    answeredAt: null,
    arrivedAt: null,
    lat: null,
    lng: null,
    positionAt: null,
  }));
}

export function planLog(incident: IncidentRow, plan: PlanOutcome, wave: number, now: Date, dispatches: DispatchRow[]): IncidentLogEntry[] {
  return [
    { incidentId: incident.id, type: 'planned', at: now, data: { wave, cprEtaS: plan.cprEtaS, aedEtaS: plan.aedEtaS, withinBudget: plan.withinBudget, reason: plan.reason ?? null } },
    ...dispatches.map((d) => ({ incidentId: incident.id, type: 'alerted', at: now, actorId: d.volunteerId, data: { role: d.role, aedId: d.aedId, etaS: d.etaS, wave } })),
  ];
}

export function alertEvents(incident: IncidentRow, dispatches: DispatchRow[], plan: PlanOutcome): NewOutboxEvent[] {
  const spot = spotText(incident);
  return dispatches.map((d) => ({
    recipient: userRecipient(d.volunteerId),
    incidentId: incident.id,
    type: 'alert',
    payload: alertPayload(incident, d, spot, d.aedId ? (plan.aeds.get(d.aedId) ?? null) : null),
  }));
}

/**
 * The AEDs a bystander is shown: the nearest by walking time, those usable now first (a closed or
 * claimed cabinet is still listed, after them, so nobody wonders about the one next door).
 */
export async function nearestForBystander(planner: IncidentPlanner, point: { lat: number; lng: number }, at: Date): Promise<NearestAedView[]> {
  const near = await planner.nearestAeds(point, 6, at);
  // Usable ones first, and among them those still open when a runner gets there.
  const rank = (a: NearestAedView) => (a.usableNow ? (a.closesBeforeArrival ? 1 : 2) : 0);
  return near.sort((a, b) => rank(b) - rank(a)).slice(0, 3);
}

export function patientOf(incident: IncidentRow) {
  return { lat: incident.lat, lng: incident.lng, level: incident.level };
}

/** The patient is at the QR spot; a precise GPS fix near it refines the point (the floor stays the spot's). */
export function patientFromSpot(spot: QrSpotRow, gps?: { lat: number; lng: number; accuracyM?: number }) {
  const level = spot.floor !== null && /^-?\d+$/.test(spot.floor) ? Number(spot.floor) : null;
  if (gps && gps.accuracyM !== undefined && gps.accuracyM <= GPS_TRUST_ACCURACY_M && approxDistanceM(spot, gps) <= GPS_MAX_SHIFT_M) {
    return { lat: gps.lat, lng: gps.lng, level };
  }
  return { lat: spot.lat, lng: spot.lng, level };
}

function approxDistanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const x = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return Math.hypot(x, b.lat - a.lat) * 111_195;
}

/** Which roles someone has committed to (accepted or arrived). */
export function roleFill(dispatches: DispatchRow[]) {
  const committed = dispatches.filter((d) => d.status === 'accepted' || d.status === 'arrived');
  return { cpr: committed.some((d) => d.role !== 'aed'), aed: committed.some((d) => d.role === 'aed') };
}

/** Someone still alerted or committed who can cover both roles. */
export function hasPendingCover(dispatches: DispatchRow[]): boolean {
  const live = dispatches.filter((d) => d.status === 'alerted' || d.status === 'accepted' || d.status === 'arrived');
  return live.length >= 2 || (live.length === 1 && roleFill(dispatches).cpr);
}
