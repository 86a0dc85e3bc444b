import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Database } from '../../../api/db/client.ts';
import { createAedRepository, type AedRepository } from '../../../api/db/aed-repository.ts';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import { adminRoutes } from '../../../api/routes/admin.ts';
import { createLogger } from '../../../api/logger.ts';
import { prepareApp, WEB_DIST_DIR, type PreparedApp } from '../../../api/server.ts';
import { createAuthService, type AuthService } from '../../../api/services/auth.ts';
import { systemClock, type Clock } from '../../../api/services/clock.ts';
import { createTestApp, testConfig } from '../../support/app.ts';

export const ADMIN = { email: 'admin@example.org', password: 'admin-Secret-1' };

export interface AdminTestApp {
  app: PreparedApp['app'];
  auth: AuthService;
  aeds: AedRepository;
  close(): Promise<void>;
  /** Signs in (the admin by default) and returns the bearer token. */
  login(email?: string, password?: string): Promise<string>;
  /** Registers a volunteer (pending) and returns their token and id. */
  registerVolunteer(email: string, extra?: Record<string, string>): Promise<{ token: string; id: string }>;
  /** A JSON request with an optional bearer token. */
  call(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
}

/**
 * The whole app as `npm start` wires it, with the admin console's routes mounted when the app does
 * not mount them yet, so these suites test what production serves.
 */
export async function buildAdminTestApp(database: Database, clock: Clock = systemClock, env: Record<string, string> = {}): Promise<AdminTestApp> {
  const prepared = await createTestApp(database, env, { clock });
  const { app } = prepared;
  const auth = createAuthService({ users: createUserRepository(database.db), clock, tokenTtlMs: 3_600_000 });
  const aeds = createAedRepository(database.db);
  if (!app.routes.some((r) => r.path.startsWith('/api/admin/volunteers'))) {
    app.route('/api', adminRoutes({ auth, database, aeds, clock, config: testConfig(env) }));
  }
  const call = async (method: string, path: string, token?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  return {
    app,
    auth,
    aeds,
    call,
    close: () => prepared.close(),
    async login(email = ADMIN.email, password = ADMIN.password) {
      const res = await call('POST', '/api/auth/login', undefined, { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return (await res.json()).token;
    },
    async registerVolunteer(email, extra = {}) {
      const res = await call('POST', '/api/auth/register', undefined, { email, password: 'volunteer-1', displayName: email.split('@')[0], ...extra });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
      const body = await res.json();
      return { token: body.token, id: body.user.id };
    },
  };
}

export interface AdminServer {
  url: string;
  database: Database;
  close(): Promise<void>;
}

/**
 * The app with the built web app, on a free loopback port, over a fresh PGlite data folder with the
 * demo campus and the admin of ADMIN: for the console's browser tests. The admin routes are mounted
 * when the app does not mount them yet, before the web app's catch-all.
 */
export async function startAdminServer(): Promise<AdminServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aed-admin-'));
  const config = testConfig({ SEED_DEMO: 'true', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  const prepared = await prepareApp(config, { serveWeb: false, logger: createLogger('silent') });
  const { app, database } = prepared;
  if (!app.routes.some((r) => r.path.startsWith('/api/admin/volunteers'))) {
    const auth = createAuthService({ users: createUserRepository(database.db), clock: systemClock, tokenTtlMs: 3_600_000 });
    app.route('/api', adminRoutes({ auth, database, aeds: createAedRepository(database.db), config }));
  }
  const root = path.relative(process.cwd(), WEB_DIST_DIR) || '.';
  app.use('/assets/*', serveStatic({ root }));
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => (c.req.path.startsWith('/api/') ? c.notFound() : c.html(await readFile(path.join(WEB_DIST_DIR, 'index.html'), 'utf8'))));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      (server as HttpServer).closeAllConnections?.();
      await prepared.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
