import type { AedBrief, NearestAedView } from './incident-views.ts';

export interface PatientPoint {
  lat: number;
  lng: number;
  level: number | null;
}

/** One volunteer to alert, with the role the plan gives them. */
export interface Assignment {
  volunteerId: string;
  role: 'cpr' | 'aed' | 'backup';
  aedId: string | null;
  /** Seconds from the alert to reaching the patient (with the AED for a runner). */
  etaS: number;
}

/** A dispatch plan as the incident service uses it. */
export interface PlanOutcome {
  assignments: Assignment[];
  cprEtaS: number | null;
  aedEtaS: number | null;
  withinBudget: { cpr: boolean; aed: boolean };
  reason?: string;
  /** The AEDs the plan considered, for the alerts' "fetch AED X at ..." text. */
  aeds: ReadonlyMap<string, AedBrief>;
  /** Stored on the incident for the after-action report. */
  summary: Record<string, unknown>;
}

export interface PlanRequest {
  incidentId?: string;
  campusId: string | null;
  patient: PatientPoint;
  at: Date;
  /** Volunteers already alerted for this incident, or busy. */
  excludeVolunteerIds: Set<string>;
  /** 1 for the first wave; each escalation searches a wider area. */
  radiusFactor: number;
  /** An admin drill: only its simulated volunteers are planned (and for a real SOS, none of them). */
  drill: boolean;
  needCpr: boolean;
  needAed: boolean;
}

/** What the incident service asks of the matching engine. */
export interface IncidentPlanner {
  plan(request: PlanRequest): Promise<PlanOutcome>;
  /** The best AED for one volunteer to fetch now (for a role change on accept). */
  fetchPlanFor(request: { volunteerId: string; incidentId: string; patient: PatientPoint; at: Date }): Promise<{ aedId: string; etaS: number; withinBudget: boolean } | null>;
  nearestAeds(point: { lat: number; lng: number }, limit: number, at: Date): Promise<NearestAedView[]>;
}
