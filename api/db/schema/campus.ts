import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * A campus: the unit an admin manages. Geometry of buildings and walkways is stored as GeoJSON
 * (WGS-84, [lng, lat]) because only the API's in-memory walking graph reads it.
 */
export const campuses = pgTable('campuses', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  nameZh: text(),
  timezone: text().notNull().default('UTC'),
  centerLat: doublePrecision().notNull(),
  centerLng: doublePrecision().notNull(),
  minLat: doublePrecision().notNull(),
  minLng: doublePrecision().notNull(),
  maxLat: doublePrecision().notNull(),
  maxLng: doublePrecision().notNull(),
  attribution: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const buildings = pgTable(
  'buildings',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid().notNull().references(() => campuses.id, { onDelete: 'cascade' }),
    osmId: text(),
    name: text().notNull(),
    nameZh: text(),
    levels: integer(),
    centroidLat: doublePrecision().notNull(),
    centroidLng: doublePrecision().notNull(),
    /** GeoJSON Polygon or MultiPolygon geometry. */
    geometry: jsonb().notNull(),
  },
  (t) => [
    uniqueIndex('buildings_campus_id_osm_id_idx').on(t.campusId, t.osmId),
    index('buildings_campus_id_idx').on(t.campusId),
  ],
);

export const walkways = pgTable(
  'walkways',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid().notNull().references(() => campuses.id, { onDelete: 'cascade' }),
    osmId: text(),
    highway: text().notNull(),
    isSteps: boolean().notNull().default(false),
    name: text(),
    /** GeoJSON LineString geometry. */
    geometry: jsonb().notNull(),
    /** OSM node ids parallel to the coordinates, so ways join at shared nodes. */
    nodeIds: jsonb().$type<string[]>(),
  },
  (t) => [
    uniqueIndex('walkways_campus_id_osm_id_idx').on(t.campusId, t.osmId),
    index('walkways_campus_id_idx').on(t.campusId),
  ],
);

/**
 * A place where a first-aid QR code hangs. The code in the printed URL (/e/:code) is random,
 * so a spot's code cannot be guessed from its neighbours'.
 */
export const qrSpots = pgTable(
  'qr_spots',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid().notNull().references(() => campuses.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    buildingId: uuid().references(() => buildings.id, { onDelete: 'set null' }),
    buildingName: text(),
    /** OSM `level` semantics: "0" is the ground floor. Free text to allow "0;1" or "M". */
    floor: text(),
    entrance: text(),
    entranceZh: text(),
    lat: doublePrecision().notNull(),
    lng: doublePrecision().notNull(),
    /** H3 cell at DB_H3_RES (see api/db/h3-column.ts), hex string. */
    h3Cell: text().notNull(),
    active: boolean().notNull().default(true),
    source: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('qr_spots_code_idx').on(t.code),
    index('qr_spots_h3_cell_idx').on(t.h3Cell),
    index('qr_spots_campus_id_idx').on(t.campusId),
  ],
);

export const appSettings = pgTable('app_settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
});
