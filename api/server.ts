import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createAedRepository } from './db/aed-repository.ts';
import { createCampusRepository } from './db/campus-repository.ts';
import { createDb, type Database } from './db/client.ts';
import { createIncidentRepository } from './db/incident-repository.ts';
import { migrateDb } from './db/migrate.ts';
import { createOutboxRepository } from './db/outbox-repository.ts';
import { createPushRepository } from './db/push-repository.ts';
import { createSettingsRepository } from './db/settings-repository.ts';
import { createUserRepository } from './db/user-repository.ts';
import { createVolunteerRepository } from './db/volunteer-repository.ts';
import type { DispatchConfig } from './domain/config.ts';
import { DEMO_CAMPUS_DIR } from './import/geo-data.ts';
import { createLogger, type Logger } from './logger.ts';
import { setOldGenerationGrowth, startIdleScavenger } from './idle-scavenger.ts';
import { createInProcessBus, createPgBus } from './realtime/bus.ts';
import { createHub } from './realtime/hub.ts';
import { createRealtimeEndpoint, type RealtimeEndpoint } from './realtime/socket.ts';
import { createAuthService, hashToken } from './services/auth.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { createDrillService, type DrillOptions, type DrillService } from './services/drill.ts';
import { createIncidentService, type IncidentConfig, type IncidentService } from './services/incidents.ts';
import { createMatchingService } from './services/matching.ts';
import { createPushService, loadVapidKeys, type PushOptions, type PushSender, type PushService } from './services/push.ts';
import { createRateLimiter } from './services/rate-limiter.ts';
import { createStandby } from './services/standby.ts';
import { seedCampusIfEmpty } from './services/seed.ts';
import { createVolunteerService, type VolunteerService } from './services/volunteers.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../web/dist/', import.meta.url));

/** The old generation may double between full collections (`npm run bench -- sos`, README run 8). */
const OLD_GENERATION_GROWTH_PERCENT = 100;

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
  dispatch?: Partial<DispatchConfig>;
  incidents?: Partial<IncidentConfig>;
  heartbeatMs?: number;
  /** How often open volunteer sockets' sessions are looked at (realtime/socket.ts). Default 15000. */
  sessionSweepMs?: number;
  drill?: Partial<DrillOptions>;
  /** Web Push retry timing and, in tests, the sender. */
  push?: Partial<PushOptions> & { send?: PushSender };
}

/** Opens the database from config: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export function openConfiguredDb(config: Config): Promise<Database> {
  return config.DATABASE_URL
    ? createDb({ kind: 'postgres', url: config.DATABASE_URL, maxConnections: config.DATABASE_POOL_SIZE, urgentConnections: config.DATABASE_SOS_POOL_SIZE })
    : createDb({ kind: 'pglite', dataDir: path.resolve(config.DATA_DIR, 'pglite') });
}

export interface PreparedApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  /** The live services, for tests that drive them directly. */
  services: { incidents: IncidentService; volunteers: VolunteerService; drills: DrillService; push: PushService };
  demoQrCode?: string;
  /** The HTTP server's 'upgrade' listener: the realtime WebSocket on /api/ws. */
  upgrade: RealtimeEndpoint['upgrade'];
  /** Stops timers, sockets and the bus, and closes the database unless it was passed in. */
  close(): Promise<void>;
}

/**
 * Migrates, prepares the first admin and the demo campus, and wires repositories, services, the
 * realtime hub and the app. Does not listen: tests drive the result with `app.request()`.
 */
export async function prepareApp(config: Config, options: StartOptions = {}): Promise<PreparedApp> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openConfiguredDb(config));
  await migrateDb(database);
  const db = database.db;
  const users = createUserRepository(db);
  const campuses = createCampusRepository(db);
  const aeds = createAedRepository(db);
  const outbox = createOutboxRepository(db);
  const auth = createAuthService({
    users,
    clock,
    tokenTtlMs: config.TOKEN_TTL_HOURS * 3_600_000,
    failedLoginLimit: { burst: config.LOGIN_FAILURE_BURST, perMinute: config.LOGIN_FAILURES_PER_MINUTE },
    registerLimit: { burst: config.REGISTER_BURST, perMinute: config.REGISTER_PER_MINUTE },
    onSignedOut: (userId) => volunteerService.setDuty(userId, false),
  });
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) await auth.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (config.SEED_DEMO) {
    const seed = await seedCampusIfEmpty({ campuses, aeds }, config.CAMPUS_DIR ?? DEMO_CAMPUS_DIR);
    if (seed.seeded) logger.info('loaded campus', { ...seed });
  }
  const settings = createSettingsRepository(db);
  const secret = await settings.getOrCreate('server_secret', () => randomBytes(32).toString('base64url'));
  const { send: pushSend, ...pushOptions } = options.push ?? {};
  const push = createPushService({ subscriptions: createPushRepository(db), vapid: await loadVapidKeys(config, settings), clock, logger, send: pushSend, options: pushOptions });

  const hub = createHub(outbox);
  // Another process's alerts are read back on the emergency lane, like the SOS that wrote them.
  const bus = database.kind === 'postgres' ? createPgBus(hub, database.pubsub, createOutboxRepository(database.urgent), { logger }) : createInProcessBus(hub);
  await bus.start();

  let incidentService: ReturnType<typeof createIncidentService> | undefined;
  const volunteerService = createVolunteerService({
    volunteers: createVolunteerRepository(db),
    clock,
    logger,
    onMoved: (userId, p) => incidentService!.trackResponder(userId, p),
    onDutyChanged: (userId, on) => on || standby.forgetPosition(userId),
  });
  // The SOS path (planning, the incident's reads and transactions) runs on the emergency lane.
  const urgent = { ...database, db: database.urgent };
  const urgentCampuses = createCampusRepository(urgent.db);
  const matching = createMatchingService({
    campuses: urgentCampuses,
    aeds: createAedRepository(urgent.db),
    volunteers: createVolunteerRepository(urgent.db),
    incidents: createIncidentRepository(urgent.db),
    livePositions: () => volunteerService.livePositions(),
    liveNear: (point, radiusM) => volunteerService.liveNear(point, radiusM),
    dispatch: options.dispatch,
  });
  await matching.warm();
  // What an SOS plans from while the database is unreachable.
  const standby = createStandby({
    campuses,
    aeds,
    volunteers: createVolunteerRepository(db),
    livePositions: () => volunteerService.livePositions(),
    liveNear: (point, radiusM) => volunteerService.liveNear(point, radiusM),
    reachable: (userId) => hub.isConnected(`user:${userId}`),
    clock,
    logger,
  });
  await standby.start();
  incidentService = createIncidentService({
    database: urgent,
    planner: matching,
    outbox,
    publish: async (events) => {
      await bus.publish(events);
      push.notify(events); // fire-and-forget: a slow push service never delays the WebSocket alert
    },
    findQrSpot: (code) => urgentCampuses.findQrSpotByCode(code),
    aedClaims: {
      claim: (aedId, incidentId, tx) => aeds.claim(aedId, incidentId, tx),
      release: (incidentId, tx, aedId) => aeds.release(incidentId, tx, aedId),
      markInUse: (aedId, tx) => aeds.markInUse(aedId, tx),
      briefs: async (ids, tx) => new Map(await Promise.all((await createAedRepository(tx).findByIds(ids)).map(async (a) => [a.id, await matching.brief(a)] as const))),
    },
    standby: {
      standby,
      planner: matching.over(standby.source),
      deliverUnsaved: (events) => hub.deliverUnsaved(events),
      journalDir: path.resolve(config.DATA_DIR),
    },
    limits: {
      perClient: createRateLimiter({ burst: config.SOS_BURST, perMinute: config.SOS_PER_MINUTE, clock }),
      perSpot: createRateLimiter({ burst: config.SOS_BURST, perMinute: config.SOS_PER_MINUTE, clock }),
    },
    clock,
    logger,
    secret,
    config: { acceptTimeoutMs: config.ACCEPT_TIMEOUT_S * 1_000, ...options.incidents },
  });
  const incidents = incidentService;
  // Incidents another process raised keep escalating here if that process dies.
  incidents.startSweeping();
  await incidents.recoverPending();
  const drills = createDrillService({
    users,
    campuses,
    aeds,
    incidents: createIncidentRepository(db),
    volunteerService,
    incidentService: incidents,
    clock,
    logger,
    dispatch: options.dispatch,
    options: options.drill,
  });

  const realtime = createRealtimeEndpoint({
    hub,
    logger,
    heartbeatMs: options.heartbeatMs,
    sessionSweepMs: options.sessionSweepMs,
    handlers: {
      authenticateVolunteer: async (token) => {
        const user = await auth.authenticate(token);
        standby.remember(user);
        return { userId: user.id, sessionHash: hashToken(token) };
      },
      lapsedSessions: () => auth.lapsedSessions(),
      authenticateBystander: async (incidentId, publicToken) => incidents.verifyPublicToken(incidentId, publicToken),
      onPosition: (userId, p) => volunteerService.updatePosition(userId, p),
      onRespond: async (userId, incidentId, action) => {
        // As POST /incidents/:id/respond: only a verified volunteer answers (an admin may have rejected them since hello).
        await auth.requireVerifiedVolunteer(userId);
        await incidents.respond(userId, incidentId, action);
      },
    },
  });

  const app = createApp({
    config,
    database,
    logger,
    auth,
    aeds,
    campuses,
    clock,
    planner: matching,
    incidents,
    volunteerService,
    drills,
    push,
    dispatch: options.dispatch,
    webDistDir: options.serveWeb === false ? undefined : WEB_DIST_DIR,
  });
  const [firstCampus] = await campuses.listCampuses();
  const [demoSpot] = firstCampus ? await campuses.listQrSpots(firstCampus.id) : [];
  return {
    app,
    database,
    services: { incidents, volunteers: volunteerService, drills, push },
    demoQrCode: demoSpot?.code,
    upgrade: realtime.upgrade,
    async close() {
      drills.stop();
      incidents.stop();
      standby.stop();
      await push.stop();
      realtime.close();
      await volunteerService.stop();
      await bus.stop();
      if (!options.database) await database.close();
    },
  };
}

/** prepareApp, then listen on config.PORT (0 picks a free port). */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const prepared = await prepareApp(config, options);
  const server = await listen(prepared.app.fetch, prepared.upgrade, config.PORT, config.HOST);
  const port = (server.address() as AddressInfo).port;
  // Garbage of the young generation is collected between SOS rather than in the middle of one.
  let requestsInFlight = 0;
  server.on('request', (_req: unknown, res: import('node:http').ServerResponse) => {
    requestsInFlight++;
    res.once('close', () => requestsInFlight--);
  });
  const scavenger = startIdleScavenger({ busy: () => requestsInFlight > 0 });
  // Full collections seldom rather than every ~10 s under load (see setOldGenerationGrowth).
  setOldGenerationGrowth(OLD_GENERATION_GROWTH_PERCENT);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    database: prepared.database,
    demoQrCode: prepared.demoQrCode,
    async close() {
      scavenger.stop();
      // Sockets first: ws does not close open connections when the HTTP server closes.
      await prepared.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as import('node:http').Server).closeAllConnections();
      await closed;
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], upgrade: RealtimeEndpoint['upgrade'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.on('upgrade', upgrade);
    server.once('error', reject);
  });
}
