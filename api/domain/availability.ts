/**
 * Is an AED usable right now? DESIGN.md, "Dispatch plan": in service, not claimed by another
 * incident, inside its opening hours, accessible, pads and battery not expired.
 */
import OpeningHours from 'opening_hours';
import { campusDate, campusWallClock, pad2, processTimezone } from './campus-clock.ts';
import type { AedForPlanning } from './types.ts';

/** Why an AED cannot be used now. */
export type UnusableReason =
  | 'status'
  | 'claimed'
  | 'closed'
  | 'closing'
  | 'hours_unknown'
  | 'bad_opening_hours'
  | 'no_access'
  | 'pads_expired'
  | 'battery_expired';

export interface Availability {
  usable: boolean;
  /** Every reason that applies, in a fixed order; empty when usable. */
  reasons: UnusableReason[];
}

export interface AvailabilityOptions {
  /** IANA zone of the campus; opening hours and expiry dates are read on its wall clock. Default: the process's zone. */
  timezone?: string;
  /** The campus grants its volunteers AEDs tagged `access=private` or `access=no` (e.g. staff rooms they can enter). */
  allowPrivate?: boolean;
  /** The incident being planned: its own claims do not make an AED unavailable to it. */
  incidentId?: string;
  /**
   * Country (ISO 3166-1 alpha-2) and state of the campus. opening_hours needs them for public and
   * school holidays (`PH`, `SH`) and, with the AED's position, for sunrise/sunset times. Without
   * it, holiday rules never match and sun times use the library's default position.
   */
  region?: { countryCode: string; state?: string };
  /**
   * Seconds the AED must stay open by its hours from `at` (`closing` otherwise): a runner sent at
   * 21:58 to a room locked at 22:00 finds a locked door. The planner asks for its time budget.
   */
  openForS?: number;
}

type Hours = InstanceType<typeof OpeningHours>;

/** Parsed opening hours by value (and region); a failed parse is cached as null. */
const hoursCache = new Map<string, Hours | null>();
const HOURS_CACHE_LIMIT = 10_000;

/**
 * Whether an AED can be used at `at`, and every reason it cannot.
 *
 * Opening hours use the OSM syntax through the `opening_hours` parser, evaluated on the campus's
 * wall clock. A value that does not parse makes the AED unusable with `bad_opening_hours`: a runner
 * must never be sent to a cabinet that may be locked, and the reason tells an admin to fix the tag.
 * An `unknown` state (e.g. `Mo-Fr 08:00-18:00; Sa unknown` on a Saturday) is `hours_unknown`, not usable.
 * Pads and battery are good through their expiry day, inclusive.
 * @throws InvalidTimezoneError
 */
export function usableNow(aed: AedForPlanning, at: Date, options: AvailabilityOptions = {}): Availability {
  const timezone = options.timezone ?? processTimezone();
  const reasons: UnusableReason[] = [];
  if (aed.status !== 'in_service') reasons.push('status');
  if (aed.claimedByIncidentId !== null && aed.claimedByIncidentId !== options.incidentId) reasons.push('claimed');
  const wallClock = campusWallClock(at, timezone);
  const hours = hoursState(aed, wallClock, options);
  if (hours !== 'open') reasons.push(hours);
  else if (options.openForS && closesWithin(aed, wallClock, options.openForS, options)) reasons.push('closing');
  if (!options.allowPrivate && isRestricted(aed.access)) reasons.push('no_access');
  const today = campusDate(at, timezone);
  if (aed.padExpiresOn !== null && aed.padExpiresOn < today) reasons.push('pads_expired');
  if (aed.batteryExpiresOn !== null && aed.batteryExpiresOn < today) reasons.push('battery_expired');
  return { usable: reasons.length === 0, reasons };
}

function isRestricted(access: string | null): boolean {
  const value = access?.trim().toLowerCase();
  return value === 'no' || value === 'private';
}

function hoursState(
  aed: AedForPlanning,
  wallClock: Date,
  options: AvailabilityOptions,
): 'open' | 'closed' | 'hours_unknown' | 'bad_opening_hours' {
  if (aed.openingHours === null || aed.openingHours.trim() === '') return 'open';
  const hours = parsedHours(aed, options);
  if (hours === null) return 'bad_opening_hours';
  try {
    if (hours.getUnknown(wallClock)) return 'hours_unknown';
    return hours.getState(wallClock) ? 'open' : 'closed';
  } catch {
    // opening_hours can fail while evaluating a rule it parsed (e.g. holidays of an unsupported
    // country): recover by reporting the value as one an admin must fix.
    return 'bad_opening_hours';
  }
}

/** Whether hours open at `wallClock` change (close) within `seconds`. */
function closesWithin(aed: AedForPlanning, wallClock: Date, seconds: number, options: AvailabilityOptions): boolean {
  if (aed.openingHours === null || aed.openingHours.trim() === '') return false;
  const hours = parsedHours(aed, options);
  if (hours === null) return false;
  try {
    return hours.getNextChange(wallClock, new Date(wallClock.getTime() + seconds * 1000)) !== undefined;
  } catch {
    return false; // hoursState evaluated these hours a moment ago; a failure here counts as open
  }
}

function parsedHours(aed: AedForPlanning, options: AvailabilityOptions): Hours | null {
  const region = options.region;
  // Sun-based rules (sunrise-sunset) need a position; 0.1 deg (~10 km) moves sunrise by < 1 min.
  const lat = Math.round(aed.lat * 10) / 10;
  const lon = Math.round(aed.lng * 10) / 10;
  const key = `${aed.openingHours}|${region?.countryCode ?? ''}|${region?.state ?? ''}|${lat}|${lon}`;
  if (hoursCache.has(key)) return hoursCache.get(key)!;
  if (hoursCache.size >= HOURS_CACHE_LIMIT) hoursCache.clear();
  const nominatim = {
    lat,
    lon,
    address: { country_code: region?.countryCode.toLowerCase() ?? '', state: region?.state ?? '' },
  };
  let hours: Hours | null;
  try {
    // Mode 0: time ranges only, the form AED opening hours take.
    hours = new OpeningHours(aed.openingHours!, region === undefined ? null : nominatim, 0);
  } catch {
    // Unparseable value: recorded as null and reported as bad_opening_hours by the caller.
    hours = null;
  }
  hoursCache.set(key, hours);
  return hours;
}

/** An AED's opening hours now and their next change, on the campus's wall clock. */
export interface HoursAhead {
  /** Open by its hours now. */
  open: boolean;
  /** When it next closes (open) or opens (closed): wall-clock HH:MM, and 0 today, 1 tomorrow, ...; null: no change within a week. */
  next: { time: string; inDays: number } | null;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * What a bystander needs of an AED's opening hours: open now and until when, or closed and from
 * when ("open until 22:00" rather than "Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00"). Null when it has no
 * hours, they do not parse, or they are unknown now: show the raw value, if any.
 * @throws InvalidTimezoneError
 */
export function hoursAhead(aed: AedForPlanning, at: Date, options: AvailabilityOptions = {}): HoursAhead | null {
  if (aed.openingHours === null || aed.openingHours.trim() === '') return null;
  const hours = parsedHours(aed, options);
  if (hours === null) return null;
  const wallClock = campusWallClock(at, options.timezone ?? processTimezone());
  try {
    if (hours.getUnknown(wallClock)) return null;
    const open = hours.getState(wallClock);
    const change = hours.getNextChange(wallClock, new Date(wallClock.getTime() + WEEK_MS));
    if (!change) return { open, next: null };
    const time = `${pad2(change.getHours())}:${pad2(change.getMinutes())}`;
    return { open, next: { time, inDays: calendarDays(wallClock, change) } };
  } catch {
    // As in hoursState: a rule that fails while evaluated (say, an unsupported country's holidays).
    return null;
  }
}

/** Whole calendar days from a's date to b's (local fields: both are wall-clock readings). */
function calendarDays(a: Date, b: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((day(b) - day(a)) / 86_400_000);
}
