import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { anyOf } from './any-of.ts';
import { toSnakeCase } from 'drizzle-orm/casing';
import { rowsOf, type Db } from './client.ts';
import { preparedQuery } from './prepared.ts';
import { dispatches, incidentEvents, incidents } from './schema/index.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncident = typeof incidents.$inferInsert;
export type DispatchRow = typeof dispatches.$inferSelect;
export type NewDispatch = typeof dispatches.$inferInsert;
export type IncidentEventRow = typeof incidentEvents.$inferSelect;
export type DispatchStatus = DispatchRow['status'];

/** The incident a request made and every open incident, oldest first (the SOS path's first read). */
const requestAndOpen = preparedQuery<IncidentRow[], { clientRequestId: string }>('incidents_request_and_open', (db, name) =>
  db
    .select()
    .from(incidents)
    .where(or(eq(incidents.clientRequestId, sql.placeholder('clientRequestId')), eq(incidents.state, 'open')))
    .orderBy(asc(incidents.createdAt))
    .prepare(name),
);

/**
 * A whole row as one JSON object keyed by column name, for the fixed statements below: PostgreSQL
 * turns it into the table's row type (`jsonb_populate_record(null::table, ...)`), so one statement
 * text serves every row and drizzle builds nothing per call. The row types (`IncidentRow`,
 * `DispatchRow`) name every column, so none is left to a NULL by mistake.
 */
function asColumns(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) out[toSnakeCase(key)] = row[key];
  return out;
}

/**
 * Incidents, their dispatches (incident x volunteer) and the event log. Build it over a transaction
 * (`createIncidentRepository(tx)`) to write an incident, its alerts and its log atomically.
 */
export function createIncidentRepository(db: Db) {
  return {
    async insert(row: NewIncident): Promise<IncidentRow> {
      const [inserted] = await db.insert(incidents).values(row).returning();
      return inserted!;
    },
    /**
     * Inserts a complete row unless its client request id exists; undefined means it did. Returns the
     * row given, not one read back: drizzle's insert built and mapped every column on each SOS (the
     * plan's JSON among them) for values the caller already holds.
     */
    async insertIfNew(row: IncidentRow): Promise<IncidentRow | undefined> {
      const result = await db.execute(sql`
        insert into ${incidents} select * from jsonb_populate_record(null::${incidents}, ${JSON.stringify(asColumns(row))}::jsonb)
        on conflict (client_request_id) do nothing returning id`);
      return rowsOf(result).length > 0 ? row : undefined;
    },
    async findById(id: string): Promise<IncidentRow | undefined> {
      const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
      return row;
    },
    async findByClientRequestId(clientRequestId: string): Promise<IncidentRow | undefined> {
      const [row] = await db.select().from(incidents).where(eq(incidents.clientRequestId, clientRequestId));
      return row;
    },
    /** Locks the incident row for the rest of the transaction, serializing answers to one incident. */
    async lock(id: string): Promise<IncidentRow | undefined> {
      const [row] = await db.select().from(incidents).where(eq(incidents.id, id)).for('update');
      return row;
    },
    /**
     * One read for an SOS: the incident a retried request made (when there is one) and every open
     * incident (to join one at the same spot), oldest first.
     */
    async findRequestAndOpen(clientRequestId: string): Promise<{ existing: IncidentRow | undefined; open: IncidentRow[] }> {
      const rows = await requestAndOpen(db, { clientRequestId });
      return { existing: rows.find((r) => r.clientRequestId === clientRequestId), open: rows.filter((r) => r.state === 'open') };
    },
    async listOpen(): Promise<IncidentRow[]> {
      return db.select().from(incidents).where(eq(incidents.state, 'open')).orderBy(asc(incidents.createdAt));
    },
    async listRecent(limit: number): Promise<IncidentRow[]> {
      return db.select().from(incidents).orderBy(desc(incidents.createdAt)).limit(limit);
    },
    async close(id: string, state: 'resolved' | 'cancelled', at: Date): Promise<IncidentRow | undefined> {
      const [row] = await db
        .update(incidents)
        .set({ state, closedAt: at })
        .where(and(eq(incidents.id, id), eq(incidents.state, 'open')))
        .returning();
      return row;
    },
    async updatePlan(id: string, plan: unknown): Promise<void> {
      await db.update(incidents).set({ plan }).where(eq(incidents.id, id));
    },

    async insertDispatches(rows: NewDispatch[]): Promise<DispatchRow[]> {
      if (rows.length === 0) return [];
      return db.insert(dispatches).values(rows).onConflictDoNothing().returning();
    },
    /**
     * Inserts complete dispatch rows (a plan's alerts) in one fixed statement, skipping a volunteer
     * already alerted for the incident; returns the rows given that were inserted.
     */
    async insertPlannedDispatches(rows: DispatchRow[]): Promise<DispatchRow[]> {
      if (rows.length === 0) return [];
      const result = await db.execute(sql`
        insert into ${dispatches} select * from jsonb_populate_recordset(null::${dispatches}, ${JSON.stringify(rows.map(asColumns))}::jsonb)
        on conflict do nothing returning id`);
      const inserted = new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
      return rows.filter((r) => inserted.has(r.id));
    },
    async listDispatches(incidentId: string): Promise<DispatchRow[]> {
      return db.select().from(dispatches).where(eq(dispatches.incidentId, incidentId)).orderBy(asc(dispatches.alertedAt), asc(dispatches.id));
    },
    async findDispatch(incidentId: string, volunteerId: string): Promise<DispatchRow | undefined> {
      const [row] = await db
        .select()
        .from(dispatches)
        .where(and(eq(dispatches.incidentId, incidentId), eq(dispatches.volunteerId, volunteerId)));
      return row;
    },
    async updateDispatch(id: string, patch: Partial<NewDispatch>): Promise<DispatchRow | undefined> {
      const [row] = await db.update(dispatches).set(patch).where(eq(dispatches.id, id)).returning();
      return row;
    },
    /** Cancels the incident's alerts nobody answered (the incident closed). */
    async cancelAlerted(incidentId: string, at: Date): Promise<void> {
      await db
        .update(dispatches)
        .set({ status: 'cancelled', answeredAt: at })
        .where(and(eq(dispatches.incidentId, incidentId), eq(dispatches.status, 'alerted')));
    },
    /** Dispatches of a volunteer still in play (alerted or accepted) on open incidents. */
    async listActiveForVolunteer(volunteerId: string): Promise<DispatchRow[]> {
      return db
        .select({ d: dispatches })
        .from(dispatches)
        .innerJoin(incidents, eq(incidents.id, dispatches.incidentId))
        .where(
          and(eq(dispatches.volunteerId, volunteerId), eq(incidents.state, 'open'), inArray(dispatches.status, ['alerted', 'accepted'])),
        )
        .then((rows) => rows.map((r) => r.d));
    },
    /** Volunteers busy on an open incident (accepted and not yet done): not planned for another. */
    async listBusyVolunteerIds(): Promise<string[]> {
      const rows = await db
        .selectDistinct({ id: dispatches.volunteerId })
        .from(dispatches)
        .innerJoin(incidents, eq(incidents.id, dispatches.incidentId))
        .where(and(eq(incidents.state, 'open'), inArray(dispatches.status, ['accepted', 'arrived'])));
      return rows.map((r) => r.id);
    },

    /** Appends log entries in order, in one statement of fixed text. */
    async appendEvents(rows: { incidentId: string; type: string; at: Date; actorId?: string | null; data?: Record<string, unknown> }[]): Promise<void> {
      if (rows.length === 0) return;
      const records = rows.map((r) => ({ incident_id: r.incidentId, type: r.type, at: r.at, actor_id: r.actorId ?? null, data: r.data ?? {} }));
      // with ordinality: ids follow the entries' order, as a multi-row VALUES gave them.
      await db.execute(sql`
        insert into ${incidentEvents} (incident_id, at, type, actor_id, data)
        select e.incident_id, e.at, e.type, e.actor_id, e.data
        from jsonb_populate_recordset(null::${incidentEvents}, ${JSON.stringify(records)}::jsonb) with ordinality as e
        order by e.ordinality`);
    },
    async listEvents(incidentId: string): Promise<IncidentEventRow[]> {
      return db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.id));
    },
    async countOpen(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(incidents).where(eq(incidents.state, 'open'));
      return row?.n ?? 0;
    },

    /** Incidents created in [from, to), newest first, at most `limit`; drills only when asked. */
    async listBetween(filter: { from?: Date; to?: Date; limit: number; includeDrills?: boolean }): Promise<IncidentRow[]> {
      const conditions: SQL[] = [];
      if (filter.from) conditions.push(gte(incidents.createdAt, filter.from));
      if (filter.to) conditions.push(lt(incidents.createdAt, filter.to));
      if (!filter.includeDrills) conditions.push(eq(incidents.isDrill, false));
      return db.select().from(incidents).where(and(...conditions)).orderBy(desc(incidents.createdAt), asc(incidents.id)).limit(filter.limit);
    },
    /** Dispatches of several incidents, in alert order. */
    async listDispatchesOf(incidentIds: readonly string[]): Promise<DispatchRow[]> {
      if (incidentIds.length === 0) return [];
      return db.select().from(dispatches).where(anyOf(dispatches.incidentId, incidentIds, 'uuid')).orderBy(asc(dispatches.alertedAt), asc(dispatches.id));
    },
    /** Event logs of several incidents, in order. */
    async listEventsOf(incidentIds: readonly string[]): Promise<IncidentEventRow[]> {
      if (incidentIds.length === 0) return [];
      return db.select().from(incidentEvents).where(anyOf(incidentEvents.incidentId, incidentIds, 'uuid')).orderBy(asc(incidentEvents.id));
    },
  };
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
