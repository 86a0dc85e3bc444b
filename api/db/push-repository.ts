import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { pushSubscriptions } from './schema/index.ts';

/** One device's Web Push subscription, as the push service handed it to the browser. */
export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  endpoint: string;
  /** The device's P-256 public key, URL-safe base64 (uncompressed point, 65 bytes). */
  p256dh: string;
  /** The device's 16-byte auth secret, URL-safe base64. */
  auth: string;
  userAgent: string | null;
  failureCount: number;
  lastSuccessAt: Date | null;
}

export interface NewPushSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
}

const columns = {
  id: pushSubscriptions.id,
  userId: pushSubscriptions.userId,
  endpoint: pushSubscriptions.endpoint,
  p256dh: pushSubscriptions.p256dh,
  auth: pushSubscriptions.auth,
  userAgent: pushSubscriptions.userAgent,
  failureCount: pushSubscriptions.failureCount,
  lastSuccessAt: pushSubscriptions.lastSuccessAt,
};

/** The only SQL for `push_subscriptions`: one row per device (endpoint), owned by one volunteer. */
export function createPushRepository(db: Db) {
  return {
    /**
     * Stores a device's subscription for `userId`. An endpoint is unique: a browser that re-subscribes,
     * or a phone handed to another volunteer, moves the row to this user with the new keys, active again.
     */
    async upsert(userId: string, s: NewPushSubscription): Promise<PushSubscriptionRecord> {
      const [row] = await db
        .insert(pushSubscriptions)
        .values({ userId, ...s })
        .onConflictDoUpdate({
          target: pushSubscriptions.endpoint,
          set: { userId, p256dh: s.p256dh, auth: s.auth, userAgent: s.userAgent, active: true, failureCount: 0 },
        })
        .returning(columns);
      return row!;
    },

    /** The active subscriptions of these volunteers (every device each). */
    async activeForUsers(userIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
      if (userIds.length === 0) return [];
      return db
        .select(columns)
        .from(pushSubscriptions)
        .where(and(inArray(pushSubscriptions.userId, [...userIds]), eq(pushSubscriptions.active, true)));
    },

    /** Removes one of this user's devices; false when it was not theirs or not there. */
    async deleteForUser(userId: string, endpoint: string): Promise<boolean> {
      const rows = await db
        .delete(pushSubscriptions)
        .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
        .returning({ id: pushSubscriptions.id });
      return rows.length > 0;
    },

    /** Removes a subscription the push service says is gone (404/410). */
    async deleteById(id: string): Promise<void> {
      await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
    },

    async recordSuccess(id: string, at: Date): Promise<void> {
      await db.update(pushSubscriptions).set({ failureCount: 0, lastSuccessAt: at }).where(eq(pushSubscriptions.id, id));
    },

    /** Counts a delivery that failed after every retry; returns the new count. */
    async recordFailure(id: string): Promise<number> {
      const [row] = await db
        .update(pushSubscriptions)
        .set({ failureCount: sql`${pushSubscriptions.failureCount} + 1` })
        .where(eq(pushSubscriptions.id, id))
        .returning({ failureCount: pushSubscriptions.failureCount });
      return row?.failureCount ?? 0;
    },

    /** Stops sending to a device that keeps failing, without forgetting it (it may come back). */
    async deactivate(id: string): Promise<void> {
      await db.update(pushSubscriptions).set({ active: false }).where(eq(pushSubscriptions.id, id));
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
