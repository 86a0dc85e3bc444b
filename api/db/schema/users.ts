import { boolean, date, doublePrecision, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['volunteer', 'admin']);
export const verificationStatus = pgEnum('verification_status', ['pending', 'verified', 'rejected']);

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  /** scrypt: `scrypt$N$r$p$salt$hash`, base64url parts. */
  passwordHash: text().notNull(),
  role: userRole().notNull().default('volunteer'),
  displayName: text().notNull(),
  phone: text(),
  verification: verificationStatus().notNull().default('pending'),
  certificateType: text(),
  certificateNumber: text(),
  certificateIssuer: text(),
  certificateExpiresOn: date({ mode: 'string' }),
  verifiedAt: timestamp({ withTimezone: true }),
  verifiedBy: uuid(),
  rejectionReason: text(),
  /** An admin drill's simulated volunteer: planned for drills only, and drills plan no one else. */
  isDrill: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Bearer tokens. Only a hash of the token is stored; revoking sets `revokedAt`. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text().primaryKey(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  // expires_at and revoked_at: each API process asks every 15 s which sessions lapsed since it last
  // looked (realtime/socket.ts), and the table keeps every session ever signed in.
  (t) => [index('sessions_user_id_idx').on(t.userId), index('sessions_expires_at_idx').on(t.expiresAt), index('sessions_revoked_at_idx').on(t.revokedAt)],
);

/**
 * A volunteer's duty state and last position. The row's position is deleted (set null) when the
 * volunteer goes off duty: positions are kept only while on duty.
 */
export const volunteerDuty = pgTable(
  'volunteer_duty',
  {
    userId: uuid().primaryKey().references(() => users.id, { onDelete: 'cascade' }),
    onDuty: boolean().notNull().default(false),
    dutySince: timestamp({ withTimezone: true }),
    lat: doublePrecision(),
    lng: doublePrecision(),
    accuracyM: doublePrecision(),
    level: integer(),
    /** H3 cell at DB_H3_RES (see api/db/h3-column.ts), hex string. */
    h3Cell: text(),
    positionAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('volunteer_duty_h3_cell_idx').on(t.h3Cell)],
);

/** Web Push subscriptions, one per volunteer device. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text().notNull().unique(),
    p256dh: text().notNull(),
    auth: text().notNull(),
    userAgent: text(),
    active: boolean().notNull().default(true),
    failureCount: integer().notNull().default(0),
    lastSuccessAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('push_subscriptions_user_id_idx').on(t.userId)],
);
