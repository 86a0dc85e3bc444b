import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { appSettings } from './schema/index.ts';

/** Deployment-wide settings (secrets generated on first start, keys) in `app_settings`. */
export function createSettingsRepository(db: Db) {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const [row] = await db.select().from(appSettings).where(eq(appSettings.key, key));
      return row?.value as T | undefined;
    },
    /**
     * The stored value, or `create()`'s stored first. Concurrent first starts agree on one value:
     * the insert that loses the race reads the winner's.
     */
    async getOrCreate<T>(key: string, create: () => T): Promise<T> {
      await db.insert(appSettings).values({ key, value: create() as unknown as object }).onConflictDoNothing();
      const [row] = await db.select().from(appSettings).where(eq(appSettings.key, key));
      return row!.value as T;
    },
  };
}
