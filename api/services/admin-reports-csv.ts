import type { IncidentSummary } from './admin-incidents.ts';

/** The 240 s window of DESIGN.md: first compressions and the AED at the patient. */
const BUDGET_S = 240;

/**
 * RFC 4180 field; text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
 * injection). A plain number such as the floor level -1 is left as it is.
 */
function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const within = (s: number | null) => (s === null ? null : s <= BUDGET_S);

export const REPORT_CSV_COLUMNS = [
  'incident_id',
  'created_at',
  'closed_at',
  'state',
  'drill',
  // The QR spot in parts, so a spreadsheet can sort and filter by building; the floor is the OSM
  // level (0 the ground floor, -1 the first basement).
  'building',
  'floor_level',
  'entrance',
  'entrance_zh',
  'lat',
  'lng',
  'alerted',
  'accepted',
  'arrived',
  'first_accept_s',
  'first_cpr_arrival_s',
  'aed_arrival_s',
  'planned_cpr_eta_s',
  'planned_aed_eta_s',
  'cpr_within_240s',
  'aed_within_240s',
] as const;

/** After-action reports as CSV (UTF-8 with a byte-order mark so spreadsheet apps read Chinese text right). */
export function reportsToCsv(reports: IncidentSummary[]): string {
  const rows = reports.map((r) =>
    [
      r.id,
      r.createdAt,
      r.closedAt,
      r.state,
      r.isDrill,
      r.location?.buildingName ?? null,
      r.location?.floor ?? null,
      r.location?.entrance ?? null,
      r.location?.entranceZh ?? null,
      r.lat,
      r.lng,
      r.alerted,
      r.accepted,
      r.arrived,
      r.times.firstAcceptS,
      r.times.firstArrivalS,
      r.times.aedArrivalS,
      r.times.plannedCprEtaS,
      r.times.plannedAedEtaS,
      within(r.times.firstArrivalS),
      within(r.times.aedArrivalS),
    ]
      .map(field)
      .join(','),
  );
  return `\uFEFF${[REPORT_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
