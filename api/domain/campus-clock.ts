/**
 * Wall-clock time of the campus: opening hours and expiry dates are local to the campus, while the
 * server may run in another zone (usually UTC).
 */
import { InvalidTimezoneError } from './errors.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The process's own IANA time zone. */
export function processTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The campus's wall clock at `at`, as a Date whose *local* fields (getHours, getDay, ...) read that
 * wall clock; this is what `opening_hours` evaluates. A wall-clock time that does not exist in the
 * process's own zone (its spring-forward hour) shifts by that hour; servers run in UTC, which has none.
 * @throws InvalidTimezoneError
 */
export function campusWallClock(at: Date, timezone: string): Date {
  const f = fieldsAt(at, timezone);
  return new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, at.getMilliseconds());
}

/**
 * The campus's calendar date at `at`, `YYYY-MM-DD`.
 * @throws InvalidTimezoneError
 */
export function campusDate(at: Date, timezone: string): string {
  const f = fieldsAt(at, timezone);
  return `${String(f.year).padStart(4, '0')}-${pad2(f.month)}-${pad2(f.day)}`;
}

interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The last second read per zone: a plan asks for the same instant once per AED, and formatToParts is slow. */
const lastRead = new Map<string, { second: number; fields: WallFields }>();

function fieldsAt(at: Date, timezone: string): WallFields {
  const second = Math.floor(at.getTime() / 1000);
  const last = lastRead.get(timezone);
  if (last?.second === second) return last.fields;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const fields = { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
  lastRead.set(timezone, { second, fields });
  return fields;
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new InvalidTimezoneError(`unknown time zone ${timezone}`, { cause: error });
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Two digits, zero-padded (a month, an hour). */
export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
