import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparedForDrizzle } from './prepared-client.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Drizzle over either driver; repositories take this and never know which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Receives notifications on a channel; used by the realtime bus between API processes. */
export interface PubSub {
  /**
   * Subscribes. `onRelisten` is called each time the subscription is re-established after its
   * connection dropped: notifications sent in between were lost, and the listener should catch up.
   */
  listen(channel: string, onMessage: (payload: string) => void, onRelisten?: () => void): Promise<{ unlisten(): Promise<void> }>;
  notify(channel: string, payload: string): Promise<void>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  /** The connection URL (PostgreSQL only). */
  url?: string;
  db: Db;
  pubsub: PubSub;
  /** Runs raw SQL for health checks and tests' table resets. */
  execute(sqlText: string): Promise<void>;
  /** A gzipped tarball of the data folder (PGlite only): tests migrate once and load copies. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export type DbOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

/** Opens the database: PostgreSQL through the `postgres` driver, or embedded PGlite. */
export async function createDb(options: DbOptions): Promise<Database> {
  return options.kind === 'postgres' ? openPostgres(options.url, options.maxConnections) : openPglite(options);
}

function openPostgres(url: string, maxConnections = 10): Database {
  const client = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    // A database that does not answer is reported within seconds (default 30 s): the SOS path then
    // alerts from memory instead of waiting.
    connect_timeout: 5,
    // The driver's default waits up to 20 s between reconnects after repeated failures, so a stored
    // SOS and health came back seconds after the database did. A refused connect costs little: retry
    // at most a second apart.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Named, so an operator can tell the API's connections apart in pg_stat_activity.
    connection: { application_name: 'campus-aed-api' },
  });
  const db = drizzlePostgres({ client: preparedForDrizzle(client), schema, casing: 'snake_case' });
  return {
    kind: 'postgres',
    url,
    db: db as unknown as Db,
    pubsub: {
      async listen(channel, onMessage, onRelisten) {
        let first = true;
        // postgres.js calls this on the first LISTEN and again whenever it re-listens after a reconnect.
        const onListen = () => {
          if (first) first = false;
          else onRelisten?.();
        };
        const sub = await client.listen(channel, onMessage, onListen);
        return { unlisten: () => sub.unlisten() };
      },
      async notify(channel, payload) {
        await client.notify(channel, payload);
      },
    },
    execute: async (sqlText) => {
      await client.unsafe(sqlText);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const db = drizzlePglite({ client, schema, casing: 'snake_case' });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    pubsub: {
      async listen(channel, onMessage) {
        const unlisten = await client.listen(channel, onMessage);
        return { unlisten };
      },
      async notify(channel, payload) {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      },
    },
    execute: async (sqlText) => {
      await client.exec(sqlText);
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
    close: () => client.close(),
  };
}
