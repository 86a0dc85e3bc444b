import { and, asc, desc, eq, gt, gte, ilike, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { sessions, users } from './schema/index.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** Users and their bearer-token sessions. */
export function createUserRepository(db: Db) {
  return {
    async findByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
      return row;
    },
    async findById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row;
    },
    /** Inserts a user; returns undefined when the e-mail is taken. */
    async insert(user: NewUser): Promise<UserRow | undefined> {
      const [row] = await db
        .insert(users)
        .values({ ...user, email: user.email.toLowerCase() })
        .onConflictDoNothing({ target: users.email })
        .returning();
      return row;
    },
    async update(id: string, patch: Partial<NewUser>): Promise<UserRow | undefined> {
      const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
      return row;
    },
    async insertSession(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
      await db.insert(sessions).values({ tokenHash, userId, expiresAt });
    },
    /** The live session's user: not expired at `now`, not revoked. */
    async findSessionUser(tokenHash: string, now: Date): Promise<{ user: UserRow; expiresAt: Date } | undefined> {
      const [row] = await db
        .select({ user: users, expiresAt: sessions.expiresAt })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(sessions.revokedAt)));
      return row;
    },
    /** True while the user has a session that is neither expired at `now` nor revoked. */
    async hasLiveSession(userId: string, now: Date): Promise<boolean> {
      const [row] = await db
        .select({ tokenHash: sessions.tokenHash })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now), isNull(sessions.revokedAt)))
        .limit(1);
      return row !== undefined;
    },
    /** Hashes of the sessions revoked, or expired, after `since` (up to `now`): sockets signed in with them must go. */
    async lapsedSessionHashes(since: Date, now: Date): Promise<string[]> {
      const rows = await db
        .select({ tokenHash: sessions.tokenHash })
        .from(sessions)
        .where(or(gte(sessions.revokedAt, since), and(gte(sessions.expiresAt, since), lte(sessions.expiresAt, now))));
      return rows.map((r) => r.tokenHash);
    },
    async revokeSession(tokenHash: string, now: Date): Promise<void> {
      await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, tokenHash));
    },
    async revokeAllSessions(userId: string, now: Date): Promise<void> {
      await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    },
    /**
     * Volunteer accounts for the admin console, pending applications first, then newest first.
     * `search` matches e-mail, name or certificate number (case-insensitive substring).
     */
    async listVolunteers(filter: { verification?: UserRow['verification']; search?: string } = {}): Promise<UserRow[]> {
      const conditions: SQL[] = [eq(users.role, 'volunteer')];
      if (filter.verification) conditions.push(eq(users.verification, filter.verification));
      if (filter.search) {
        const pattern = `%${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        conditions.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern), ilike(users.certificateNumber, pattern))!);
      }
      return db
        .select()
        .from(users)
        .where(and(...conditions))
        .orderBy(desc(eq(users.verification, 'pending')), desc(users.createdAt), asc(users.id));
    },
    /** Verified volunteers whose certificate expires on or before `lastDay` (YYYY-MM-DD), soonest first. */
    async listCertificatesExpiringBy(lastDay: string): Promise<UserRow[]> {
      return db
        .select()
        .from(users)
        .where(and(eq(users.role, 'volunteer'), eq(users.verification, 'verified'), isNotNull(users.certificateExpiresOn), lte(users.certificateExpiresOn, lastDay)))
        .orderBy(asc(users.certificateExpiresOn), asc(users.id));
    },
    /** Display names of users by id (for incident timelines). */
    async listNames(ids: readonly string[]): Promise<{ id: string; displayName: string }[]> {
      if (ids.length === 0) return [];
      return db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, [...ids]));
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
