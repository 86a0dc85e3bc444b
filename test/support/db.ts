import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type Database } from '../../api/db/client.ts';
import { withDatabase } from './global-setup.ts';

export type DriverName = 'pglite' | 'postgres';

/**
 * The drivers the shared integration suites run against: PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it). Use with `describe.each(testDrivers)`.
 */
export const testDrivers: DriverName[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  /** Empties every table, so tests do not depend on each other's rows. */
  reset(): Promise<void>;
  /** A postgres:// URL for a second API process (PostgreSQL only). */
  url?: string;
}

const TABLES = [
  'outbox',
  'incident_events',
  'dispatches',
  'incidents',
  'push_subscriptions',
  'volunteer_duty',
  'sessions',
  'users',
  'aeds',
  'qr_spots',
  'walkways',
  'buildings',
  'campuses',
  'app_settings',
];

/** A migrated database of its own for one test file: a PGlite from the migrated dump, or a copy of the PostgreSQL template. */
export async function openTestDb(driver: DriverName): Promise<TestDatabase> {
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (driver === 'pglite') {
    const dump = await readFile(inject('pgliteDumpPath'));
    database = await createDb({ kind: 'pglite', loadDataDir: new Blob([dump]) });
  } else {
    const base = process.env.TEST_DATABASE_URL;
    const template = inject('postgresTemplate');
    if (!base || !template) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
    const name = `aed_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    await admin.end();
    url = withDatabase(base, name);
    database = await createDb({ kind: 'postgres', url, maxConnections: 5 });
    drop = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  return {
    ...database,
    url,
    reset: () => database.execute(`truncate ${TABLES.join(', ')} restart identity cascade`),
    close: async () => {
      await database.close();
      await drop();
    },
  };
}
