import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './config.ts';
import type { AedRepository } from './db/aed-repository.ts';
import type { CampusRepository } from './db/campus-repository.ts';
import type { Database } from './db/client.ts';
import { isDatabaseUnavailable } from './db/unavailable.ts';
import type { DispatchConfig } from './domain/config.ts';
import { AppError, DATABASE_UNAVAILABLE_MESSAGE, httpStatusOf, RateLimitedError, ValidationError } from './errors.ts';
import { issueZh, messageZh, preferredLanguage, type ErrorLanguage } from './error-text-zh.ts';
import type { Logger } from './logger.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminDrillRoutes } from './routes/admin-drills.ts';
import { adminAedRoutes } from './routes/admin-aeds.ts';
import { authRoutes } from './routes/auth.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { publicRoutes, type RoutePlanner } from './routes/public.ts';
import { pushRoutes } from './routes/push.ts';
import { volunteerRoutes } from './routes/volunteers.ts';
import { ProxyTrust } from './proxy-trust.ts';
import { clientKeyMiddleware } from './routes/middleware/client-key.ts';
import type { AppEnv } from './routes/router.ts';
import type { AuthService } from './services/auth.ts';
import type { Clock } from './services/clock.ts';
import type { DrillService } from './services/drill.ts';
import type { IncidentService } from './services/incidents.ts';
import type { IncidentPlanner } from './services/planner.ts';
import type { PushService } from './services/push.ts';
import type { VolunteerService } from './services/volunteers.ts';

export interface AppDeps {
  config: Pick<Config, 'TILE_URL' | 'PUBLIC_URL'> & Partial<Pick<Config, 'TRUSTED_PROXIES'>>;
  /** The matching engine's overrides, so the admin coverage map uses the same walking model. */
  dispatch?: Partial<DispatchConfig>;
  database: Database;
  logger: Logger;
  auth: AuthService;
  aeds: AedRepository;
  campuses: CampusRepository;
  clock: Clock;
  planner: IncidentPlanner & RoutePlanner;
  incidents: IncidentService;
  volunteerService: VolunteerService;
  /** Simulated incidents on the live system, for admins. */
  drills: Pick<DrillService, 'start'>;
  /** Web Push: the VAPID public key, device subscriptions, test alerts. */
  push: Pick<PushService, 'publicKey' | 'subscribe' | 'unsubscribe' | 'sendTest'>;
  /** Built web app (vite build output); omitted in API-only tests. */
  webDistDir?: string;
}

/** Builds the API routes; the chained type is what the web app's typed client uses. */
export function createApi(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>()
    .route('/', healthRoutes(deps))
    .route('/', authRoutes(deps))
    .route('/', adminAedRoutes(deps))
    .route('/', publicRoutes(deps))
    .route('/', incidentRoutes(deps))
    .route('/', volunteerRoutes(deps))
    .route('/', pushRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/', adminDrillRoutes(deps));
}

export type ApiType = ReturnType<typeof createApi>;

/** The whole HTTP app: API under /api, its OpenAPI document and docs, and the web app. Never listens. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Map tiles come from the configured TILE_URL, which may be a plain-http server on a closed network.
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
      },
      // frame-ancestors 'none' says it for current browsers; DENY says the same to older ones.
      xFrameOptions: 'DENY',
      // Geolocation is needed by the bystander page and the volunteer app.
      permissionsPolicy: { geolocation: ['self'], camera: [], microphone: [] },
    }),
  );
  // The rate limits' client key: the client a trusted reverse proxy names (without proxies, the peer).
  const proxies = new ProxyTrust(deps.config.TRUSTED_PROXIES ?? []);
  if (!proxies.empty) app.use('/api/*', clientKeyMiddleware(proxies));
  // API answers hold sessions, positions and incident views: no browser or proxy keeps a copy unless
  // a route says otherwise (the campus map does).
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  const api = createApi(deps);
  app.route('/api', api);
  app.route('/api', docsRoutes(api));
  app.onError((err, c) => errorResponse(err, c, deps.logger));
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
  if (deps.webDistDir) mountWeb(app, deps.webDistDir);
  return app;
}

/**
 * An error's message and issues in the client's language: English as written, or Chinese
 * (error-text-zh.ts); a validation error's message names its first issue.
 */
function wordedFor(lang: ErrorLanguage, err: Error): { message: string; issues?: { path: string; message: string }[] } {
  const issues = err instanceof ValidationError ? err.issues : undefined;
  if (lang === 'en') return { message: err.message, ...(issues ? { issues: issues.map(({ path, message }) => ({ path, message })) } : {}) };
  const worded = issues?.map((i) => ({ path: i.path, message: issueZh(i) }));
  const first = worded?.[0];
  return { message: first ? `${first.path || '输入'}：${first.message}` : messageZh(err.message), ...(worded ? { issues: worded } : {}) };
}

function errorResponse(err: Error, c: Context, logger: Logger) {
  const lang = preferredLanguage(c.req.header('accept-language'));
  if (err instanceof HTTPException && err.status < 500) {
    const code = err.status === 400 ? 'INVALID_JSON' : err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    return c.json({ error: { code, message: err.message || 'Bad request' } }, err.status);
  }
  if (isDatabaseUnavailable(err)) {
    logger.warn('database unavailable', { method: c.req.method, path: c.req.path, error: String(err) });
    c.header('retry-after', '2');
    return c.json({ error: { code: 'DATABASE_UNAVAILABLE', message: lang === 'en' ? DATABASE_UNAVAILABLE_MESSAGE : messageZh(DATABASE_UNAVAILABLE_MESSAGE) } }, 503);
  }
  const dataError = postgresDataError(err);
  if (dataError) return c.json({ error: { code: 'INVALID_INPUT', message: `The input holds a value that cannot be stored (${dataError})` } }, 400);
  const code = (err as { code?: unknown }).code;
  const status = typeof code === 'string' ? httpStatusOf(code) : undefined;
  if (status !== undefined && typeof code === 'string') {
    if (err instanceof RateLimitedError) c.header('retry-after', String(Math.ceil(err.retryAfterS)));
    const details = err instanceof AppError ? err.details : undefined;
    const { message, issues } = wordedFor(lang, err);
    return c.json({ error: { code, message, ...(issues ? { issues } : {}), ...(details ? { details } : {}) } }, status);
  }
  logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: String(err), stack: err.stack });
  return c.json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Call 120 if this is an emergency.' } }, 500);
}

/**
 * PostgreSQL's data exceptions that only input can cause: text with a NUL or not valid UTF-8
 * (22021, 22P05), a value too long or out of range (22001, 22003), malformed uuid/number/date text
 * (22P02, 22007, 22008). The failed statement wrote nothing (a transaction rolls back), so they are a
 * 400, not a 500. The driver may wrap the database error: the cause chain is searched.
 */
const INPUT_DATA_ERRORS = new Set(['22021', '22P05', '22001', '22003', '22P02', '22007', '22008']);

function postgresDataError(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && INPUT_DATA_ERRORS.has(code)) return code;
  }
  return undefined;
}

function mountWeb(app: OpenAPIHono<AppEnv>, distDir: string) {
  const root = path.relative(process.cwd(), distDir) || '.';
  app.use('/assets/*', serveStatic({ root, onFound: (_p, c) => c.header('cache-control', 'public, max-age=31536000, immutable') }));
  app.use('*', serveStatic({ root }));
  const indexPath = path.join(distDir, 'index.html');
  // Client-side routes (/e/:code, /responder, /admin) all get the SPA shell. A missing file (an asset
  // of an older build, a name with an extension) is a 404: the shell served as a script with 200 left
  // a stale page blank with a syntax error instead of a failed request it could retry.
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(c.req.path) || !existsSync(indexPath)) return c.notFound();
    c.header('cache-control', 'no-cache');
    return c.html(await readFile(indexPath, 'utf8'));
  });
}
