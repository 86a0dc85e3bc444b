import { latLngToCell } from 'h3-js';

/**
 * H3 resolution of the `h3_cell` columns. Res 9 (average edge 200.8 m in h3-js v4) keeps a
 * four-minute walking radius (~550 m) within a disk of a few dozen cells, so a SQL candidate lookup
 * is one indexed `h3_cell in (...)`; candidates are then ranked by exact distance and walking time.
 */
export const DB_H3_RES = 9;

/** The H3 cell (hex string) a point falls in at {@link DB_H3_RES}. */
export function cellOf(point: { lat: number; lng: number }): string {
  return latLngToCell(point.lat, point.lng, DB_H3_RES);
}
