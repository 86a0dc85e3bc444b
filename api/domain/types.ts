/**
 * Shared domain types. Coordinates are WGS-84 degrees as `{ lat, lng }` objects everywhere
 * (DESIGN.md, "Geography and time"); GeoJSON and h3-js tuples are converted at the edges only.
 */

/** A WGS-84 position in degrees. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** Lifecycle state of an AED in the registry. */
export type AedStatus = 'in_service' | 'in_use' | 'out_of_service' | 'retired';

/** What the planner needs to know about one AED. */
export interface AedForPlanning {
  id: string;
  lat: number;
  lng: number;
  /** Floor: 0 = ground, negative = basement; null when unknown (treated as ground). */
  level: number | null;
  indoor: boolean | null;
  /** OSM `access` tag (yes, customers, private, permit, permissive, no). */
  access: string | null;
  /** OSM `opening_hours` syntax; null means always available. */
  openingHours: string | null;
  status: AedStatus;
  /** Incident that currently holds this AED (a runner is bringing it), if any. */
  claimedByIncidentId: string | null;
  /** Last usable day of the pads, `YYYY-MM-DD` in the campus's time zone. */
  padExpiresOn: string | null;
  /** Last usable day of the battery, `YYYY-MM-DD` in the campus's time zone. */
  batteryExpiresOn: string | null;
}

/** An on-duty, verified volunteer and their last reported position. */
export interface VolunteerForPlanning {
  id: string;
  lat: number;
  lng: number;
  /** Floor they are on, when known. */
  level?: number | null;
  /** When the position was reported, epoch milliseconds. */
  positionAtMs: number;
  /** An admin drill's simulated volunteer: planned for drills only. */
  drill?: boolean;
}

/** Where the patient is (from the QR code: building entrance and floor). */
export interface PatientLocation {
  lat: number;
  lng: number;
  level?: number | null;
}
