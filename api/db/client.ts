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
  /**
   * The emergency lane: the same database through a client of its own with a few connections, for
   * the SOS path (planning reads, the incident's transactions). An SOS then never queues behind an
   * admin's report or a batch of positions on the shared pool, and its statements land on one or two
   * server processes instead of waking one per statement (on two cores each wake-up of another
   * process is paid for): `npm run bench -- sos` (10,000 volunteers, one process) alerted at p50
   * 20-22 ms with the SOS on the shared pool of ten, 13 ms on a lane of two.
   * PGlite has a single connection: there it is `db`.
   */
  urgent: Db;
  pubsub: PubSub;
  /** Runs raw SQL for health checks and tests' table resets. */
  execute(sqlText: string): Promise<void>;
  /** A gzipped tarball of the data folder (PGlite only): tests migrate once and load copies. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** Rows of `execute`: postgres-js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

export type DbOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number; urgentConnections?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

/** Opens the database: PostgreSQL through the `postgres` driver, or embedded PGlite. */
export async function createDb(options: DbOptions): Promise<Database> {
  return options.kind === 'postgres' ? openPostgres(options.url, options.maxConnections, options.urgentConnections) : openPglite(options);
}

function openPostgres(url: string, maxConnections = 10, urgentConnections = 2): Database {
  const client = connect(url, maxConnections, 'campus-aed-api');
  const urgentClient = connect(url, urgentConnections, 'campus-aed-api-sos');
  const db = drizzlePostgres({ client: preparedForDrizzle(client), schema, casing: 'snake_case' });
  const urgent = drizzlePostgres({ client: preparedForDrizzle(urgentClient), schema, casing: 'snake_case' });
  return {
    kind: 'postgres',
    url,
    db: db as unknown as Db,
    urgent: urgent as unknown as Db,
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
      // Notifications tell other processes of alerts: they take the emergency lane too.
      async notify(channel, payload) {
        await urgentClient.notify(channel, payload);
      },
    },
    execute: async (sqlText) => {
      await client.unsafe(sqlText);
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), urgentClient.end({ timeout: 5 })]);
    },
  };
}

function connect(url: string, max: number, applicationName: string) {
  return postgres(url, {
    max,
    onnotice: () => {},
    // A database that does not answer is reported within seconds (default 30 s): the SOS path then
    // alerts from memory instead of waiting.
    connect_timeout: 5,
    // The driver's default waits up to 20 s between reconnects after repeated failures, so a stored
    // SOS and health came back seconds after the database did. A refused connect costs little: retry
    // at most a second apart.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Named, so an operator can tell the API's connections apart in pg_stat_activity.
    connection: { application_name: applicationName },
  });
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const db = drizzlePglite({ client, schema, casing: 'snake_case' });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    urgent: db as unknown as Db,
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
