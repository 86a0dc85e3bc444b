import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createDb, type Database } from './db/client.ts';
import { migrateDb } from './db/migrate.ts';
import { createAedRepository } from './db/aed-repository.ts';
import { createCampusRepository } from './db/campus-repository.ts';
import { createUserRepository } from './db/user-repository.ts';
import { DEMO_CAMPUS_DIR } from './import/geo-data.ts';
import { createLogger, type Logger } from './logger.ts';
import { createAuthService } from './services/auth.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { seedCampusIfEmpty } from './services/seed.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  /** A QR code of the first campus, for the start-up banner's demo bystander URL. */
  demoQrCode?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** An already open database (tests); otherwise opened from config. */
  database?: Database;
  clock?: Clock;
  logger?: Logger;
  serveWeb?: boolean;
}

/** Opens the database from config: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export function openConfiguredDb(config: Config): Promise<Database> {
  return config.DATABASE_URL
    ? createDb({ kind: 'postgres', url: config.DATABASE_URL })
    : createDb({ kind: 'pglite', dataDir: path.resolve(config.DATA_DIR, 'pglite') });
}

/** Migrates, prepares the first admin, builds the app and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openConfiguredDb(config));
  await migrateDb(database);
  const users = createUserRepository(database.db);
  const auth = createAuthService({ users, clock, tokenTtlMs: config.TOKEN_TTL_HOURS * 3_600_000 });
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) await auth.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  const campuses = createCampusRepository(database.db);
  const aeds = createAedRepository(database.db);
  if (config.SEED_DEMO) {
    const seed = await seedCampusIfEmpty({ campuses, aeds }, config.CAMPUS_DIR ?? DEMO_CAMPUS_DIR);
    if (seed.seeded) logger.info('loaded campus', { ...seed });
  }

  const app = createApp({
    config,
    database,
    logger,
    auth,
    aeds,
    webDistDir: options.serveWeb === false ? undefined : WEB_DIST_DIR,
  });
  const server = await listen(app.fetch, config.PORT, config.HOST);
  const port = (server.address() as AddressInfo).port;
  const [firstCampus] = await campuses.listCampuses();
  const [demoSpot] = firstCampus ? await campuses.listQrSpots(firstCampus.id) : [];
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    database,
    demoQrCode: demoSpot?.code,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.database) await database.close();
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}
