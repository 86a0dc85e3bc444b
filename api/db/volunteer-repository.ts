import { and, between, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import { pgArrayLiteral } from './any-of.ts';
import type { LatLngBox } from '../domain/geo.ts';
import type { Db } from './client.ts';
import { cellOf } from './h3-column.ts';
import { anyOfPlaceholder, preparedQuery } from './prepared.ts';
import { dispatches, incidents, users, volunteerDuty } from './schema/index.ts';

export interface PositionUpdate {
  userId: string;
  lat: number;
  lng: number;
  accuracyM: number | null;
  level: number | null;
  at: Date;
}

export interface OnDutyVolunteer {
  userId: string;
  lat: number;
  lng: number;
  level: number | null;
  positionAt: Date;
  verification: 'pending' | 'verified' | 'rejected';
  certificateExpiresOn: string | null;
  /** A drill's simulated volunteer (users.isDrill). */
  drill: boolean;
}

const onDutySelect = {
  userId: volunteerDuty.userId,
  lat: volunteerDuty.lat,
  lng: volunteerDuty.lng,
  level: volunteerDuty.level,
  positionAt: volunteerDuty.positionAt,
  verification: users.verification,
  certificateExpiresOn: users.certificateExpiresOn,
  drill: users.isDrill,
};

/** An on-duty volunteer who may not have shared a position yet. */
export type OnDutyRow = Omit<OnDutyVolunteer, 'lat' | 'lng' | 'positionAt'> & { lat: number | null; lng: number | null; positionAt: Date | null };

/** On duty and not on the way to an open incident (accepted or arrived): who a plan may alert. */
function availableVolunteers(db: Db) {
  const responding = db
    .select({ one: sql`1` })
    .from(dispatches)
    .innerJoin(incidents, eq(incidents.id, dispatches.incidentId))
    .where(and(eq(dispatches.volunteerId, volunteerDuty.userId), eq(incidents.state, 'open'), inArray(dispatches.status, ['accepted', 'arrived'])));
  return {
    query: db.select(onDutySelect).from(volunteerDuty).innerJoin(users, eq(users.id, volunteerDuty.userId)),
    available: and(eq(volunteerDuty.onDuty, true), notExists(responding)),
  };
}

const availableInCells = preparedQuery<OnDutyRow[], { cells: string; minLat: number; maxLat: number; minLng: number; maxLng: number }>(
  'volunteers_available_in_cells',
  (db, name) => {
    const { query, available } = availableVolunteers(db);
    const inBox = and(
      between(volunteerDuty.lat, sql.placeholder('minLat'), sql.placeholder('maxLat')),
      between(volunteerDuty.lng, sql.placeholder('minLng'), sql.placeholder('maxLng')),
    );
    return query.where(and(available, anyOfPlaceholder(volunteerDuty.h3Cell, 'cells', 'text'), inBox)).prepare(name);
  },
);

const availableByIds = preparedQuery<OnDutyRow[], { ids: string }>('volunteers_available_by_ids', (db, name) => {
  const { query, available } = availableVolunteers(db);
  return query.where(and(available, anyOfPlaceholder(volunteerDuty.userId, 'ids', 'uuid'))).prepare(name);
});

/** Volunteers' duty state and last positions. Positions exist only while on duty. */
export function createVolunteerRepository(db: Db) {
  const toOnDuty = (rows: { lat: number | null; lng: number | null; positionAt: Date | null }[]) =>
    rows.filter((r) => r.lat !== null && r.lng !== null && r.positionAt !== null) as unknown as OnDutyVolunteer[];

  return {
    /** Going off duty deletes the stored position (DESIGN: positions are kept only while on duty). */
    async setDuty(userId: string, onDuty: boolean, at: Date): Promise<void> {
      const off = { lat: null, lng: null, accuracyM: null, level: null, h3Cell: null, positionAt: null };
      await db
        .insert(volunteerDuty)
        .values({ userId, onDuty, dutySince: onDuty ? at : null, ...(onDuty ? {} : off) })
        .onConflictDoUpdate({
          target: volunteerDuty.userId,
          set: onDuty ? { onDuty, dutySince: sql`coalesce(${volunteerDuty.dutySince}, ${at.toISOString()}::timestamptz)` } : { onDuty, dutySince: null, ...off },
        });
    },
    async getDuty(userId: string) {
      const [row] = await db.select().from(volunteerDuty).where(eq(volunteerDuty.userId, userId));
      return row;
    },
    /**
     * Writes a batch of positions in one statement of fixed text, ignoring volunteers who went off
     * duty meanwhile: one array parameter per column (unnest), so any batch size fits (one parameter
     * per value hit PostgreSQL's 65,535 limit at about 9,400 positions) and the statement is prepared once.
     */
    async savePositions(updates: PositionUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      const column = (pick: (u: PositionUpdate) => string | number | null) => pgArrayLiteral(updates.map(pick));
      await db.execute(sql`
        update volunteer_duty as d set lat = v.lat, lng = v.lng, accuracy_m = v.accuracy_m, level = v.level, h3_cell = v.h3_cell, position_at = v.position_at
        from unnest(${column((u) => u.userId)}::uuid[], ${column((u) => u.lat)}::float8[], ${column((u) => u.lng)}::float8[],
                    ${column((u) => u.accuracyM)}::float8[], ${column((u) => u.level)}::int[], ${column((u) => cellOf(u))}::text[],
                    ${column((u) => u.at.toISOString())}::timestamptz[]) as v(user_id, lat, lng, accuracy_m, level, h3_cell, position_at)
        where d.user_id = v.user_id and d.on_duty and (d.position_at is null or d.position_at <= v.position_at)`);
    },
    async listOnDuty(): Promise<OnDutyVolunteer[]> {
      const rows = await db
        .select(onDutySelect)
        .from(volunteerDuty)
        .innerJoin(users, eq(users.id, volunteerDuty.userId))
        .where(and(eq(volunteerDuty.onDuty, true), isNotNull(volunteerDuty.lat)));
      return toOnDuty(rows);
    },
    /**
     * Volunteers a plan may alert (on duty, not responding to an open incident), by id, with their
     * stored position when they have one yet.
     */
    async listAvailableByIds(ids: string[]): Promise<OnDutyRow[]> {
      if (ids.length === 0) return [];
      return availableByIds(db, { ids: pgArrayLiteral(ids) });
    },
    /**
     * Volunteers a plan may alert (on duty, not responding to an open incident) stored in these H3
     * cells, and inside `box` when given: the cells of a disk reach past it, and the box halves the
     * rows a campus-sized search reads and parses.
     */
    async listAvailableInCells(cells: readonly string[], box?: LatLngBox): Promise<OnDutyVolunteer[]> {
      if (cells.length === 0) return [];
      const lng = box?.lng ?? { min: -180, max: 180 };
      const rows = await availableInCells(db, { cells: pgArrayLiteral(cells), minLat: box?.minLat ?? -90, maxLat: box?.maxLat ?? 90, minLng: lng.min, maxLng: lng.max });
      return toOnDuty(rows);
    },
  };
}

export type VolunteerRepository = ReturnType<typeof createVolunteerRepository>;
