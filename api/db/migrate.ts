import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** An arbitrary constant: the advisory lock that serializes migrations of concurrent API processes. */
const MIGRATION_LOCK_KEY = 727_240_001;

/**
 * Applies the committed drizzle-kit migrations. On PostgreSQL a session advisory lock, held on a
 * connection of its own, makes API processes that start together migrate one after the other.
 */
export async function migrateDb(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') {
    // drizzle's PGlite migrator expects the PGlite driver's database type.
    await migratePglite(database.db as never, config);
    return;
  }
  if (!database.url) throw new Error('A PostgreSQL database needs its URL to migrate');
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzle({ client }), config);
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
