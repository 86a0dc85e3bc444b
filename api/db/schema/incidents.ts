import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { aeds } from './aeds.ts';
import { campuses, qrSpots } from './campus.ts';
import { users } from './users.ts';

export const incidentState = pgEnum('incident_state', ['open', 'resolved', 'cancelled']);
export const dispatchRole = pgEnum('dispatch_role', ['cpr', 'aed', 'backup']);
export const dispatchStatus = pgEnum('dispatch_status', [
  'alerted',
  'accepted',
  'declined',
  'arrived',
  'timed_out',
  'released',
  'cancelled',
]);

export const incidents = pgTable(
  'incidents',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid().references(() => campuses.id, { onDelete: 'set null' }),
    qrSpotId: uuid().references(() => qrSpots.id, { onDelete: 'set null' }),
    /** Client-generated id: a retried SOS finds the incident it already created. */
    clientRequestId: text().notNull(),
    /** SHA-256 of the bystander's public token; the token itself is only given to the bystander. */
    publicTokenHash: text().notNull(),
    state: incidentState().notNull().default('open'),
    isDrill: boolean().notNull().default(false),
    lat: doublePrecision().notNull(),
    lng: doublePrecision().notNull(),
    level: integer(),
    h3Cell: text().notNull(),
    locationText: text(),
    gpsLat: doublePrecision(),
    gpsLng: doublePrecision(),
    gpsAccuracyM: doublePrecision(),
    /** The dispatch plan as computed, for the after-action report. */
    plan: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('incidents_client_request_id_idx').on(t.clientRequestId),
    index('incidents_state_idx').on(t.state),
    index('incidents_created_at_idx').on(t.createdAt),
  ],
);

export const dispatches = pgTable(
  'dispatches',
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid().notNull().references(() => incidents.id, { onDelete: 'cascade' }),
    volunteerId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: dispatchRole().notNull(),
    aedId: uuid().references(() => aeds.id, { onDelete: 'set null' }),
    status: dispatchStatus().notNull().default('alerted'),
    etaS: integer(),
    wave: integer().notNull().default(1),
    alertedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
    arrivedAt: timestamp({ withTimezone: true }),
    /** Last position shared while en route; shown to the bystander only once accepted. */
    lat: doublePrecision(),
    lng: doublePrecision(),
    positionAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('dispatches_incident_id_volunteer_id_idx').on(t.incidentId, t.volunteerId),
    index('dispatches_volunteer_id_idx').on(t.volunteerId),
  ],
);

export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    incidentId: uuid().notNull().references(() => incidents.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    type: text().notNull(),
    actorId: uuid(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('incident_events_incident_id_idx').on(t.incidentId, t.id)],
);

/**
 * The realtime outbox: every event for a recipient (a volunteer `user:<id>` or a bystander's
 * `incident:<id>`) is written here with the recipient's next sequence number *before* it is sent,
 * so a client that reconnects with its last seen number gets what it missed.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    recipient: text().notNull(),
    seq: integer().notNull(),
    incidentId: uuid().references(() => incidents.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    payload: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_recipient_seq_idx').on(t.recipient, t.seq),
    index('outbox_incident_id_idx').on(t.incidentId),
  ],
);
