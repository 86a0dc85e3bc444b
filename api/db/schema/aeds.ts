import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campuses } from './campus.ts';

export const aedStatus = pgEnum('aed_status', ['in_service', 'in_use', 'out_of_service', 'retired']);

/**
 * The AED registry. OSM tags are the data model (openaedmap does the same): the columns hold the
 * tags the matching engine and the admin console use, and `tags` keeps every original tag so an
 * export round-trips what was imported.
 */
export const aeds = pgTable(
  'aeds',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid().references(() => campuses.id, { onDelete: 'set null' }),
    /** `node/123` for OSM data. */
    osmId: text(),
    /** External key of a registry without OSM ids: its `ref` tag or the feature's `id`. */
    externalRef: text(),
    source: text().notNull().default('admin'),
    lat: doublePrecision().notNull(),
    lng: doublePrecision().notNull(),
    /** H3 cell at DB_H3_RES (see api/db/h3-column.ts), hex string. */
    h3Cell: text().notNull(),
    access: text(),
    indoor: boolean(),
    /** OSM `level`: "0" ground floor, "-1" basement, "0.5" mezzanine, "0;1" several. */
    level: text(),
    openingHours: text(),
    /** `defibrillator:location` in the main language of the data. */
    location: text(),
    locationZh: text(),
    locationEn: text(),
    /** Every `defibrillator:location:<lang>` variant, keyed by language code. */
    locationTranslations: jsonb().$type<Record<string, string>>().notNull().default({}),
    operator: text(),
    phone: text(),
    checkDate: date({ mode: 'string' }),
    description: text(),
    status: aedStatus().notNull().default('in_service'),
    padExpiresOn: date({ mode: 'string' }),
    batteryExpiresOn: date({ mode: 'string' }),
    claimedByIncidentId: uuid(),
    isDemo: boolean().notNull().default(false),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('aeds_osm_id_idx').on(t.osmId),
    uniqueIndex('aeds_source_external_ref_idx').on(t.source, t.externalRef),
    index('aeds_h3_cell_idx').on(t.h3Cell),
    index('aeds_campus_id_idx').on(t.campusId),
  ],
);
