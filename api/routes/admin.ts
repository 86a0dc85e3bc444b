import { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../config.ts';
import type { AedRepository } from '../db/aed-repository.ts';
import { createCampusRepository } from '../db/campus-repository.ts';
import type { Database } from '../db/client.ts';
import { createIncidentRepository } from '../db/incident-repository.ts';
import { createUserRepository } from '../db/user-repository.ts';
import type { DispatchConfig } from '../domain/config.ts';
import { createAdminAedService } from '../services/admin-aeds.ts';
import { createAdminIncidentService } from '../services/admin-incidents.ts';
import { createAdminQrService } from '../services/admin-qr.ts';
import { createAdminVolunteerService } from '../services/admin-volunteers.ts';
import type { AuthService } from '../services/auth.ts';
import { systemClock, type Clock } from '../services/clock.ts';
import { createCoverageService } from '../services/coverage.ts';
import { adminAedRegistryRoutes } from './admin-aed-registry.ts';
import { adminCampusRoutes } from './admin-campuses.ts';
import { adminCoverageRoutes } from './admin-coverage.ts';
import { adminIncidentRoutes } from './admin-incidents.ts';
import { adminQrRoutes } from './admin-qr.ts';
import { adminVolunteerRoutes } from './admin-volunteers.ts';
import type { AppEnv } from './router.ts';

/** What the admin console's routes need from the app. */
export interface AdminRoutesDeps {
  auth: AuthService;
  database: Database;
  aeds: AedRepository;
  /** PUBLIC_URL is the base of the URLs printed on QR sheets; without it, the request's origin. */
  config: Partial<Pick<Config, 'PUBLIC_URL'>>;
  clock?: Clock;
  /** The matching engine's overrides (walking speed, retrieval times), so coverage uses the same model. */
  dispatch?: Partial<DispatchConfig>;
}

/**
 * The admin console's API. Every route needs the admin role: each sub-router puts `requireAdmin`
 * on its own paths (test/integration/admin/admin-authorization.test.ts walks the OpenAPI document to
 * hold every route to it). The AED import/export router (admin-aeds.ts) is mounted by the app.
 */
export function adminRoutes(deps: AdminRoutesDeps) {
  const clock = deps.clock ?? systemClock;
  const { auth, aeds } = deps;
  const db = deps.database.db;
  const users = createUserRepository(db);
  const campuses = createCampusRepository(db);
  return new OpenAPIHono<AppEnv>()
    .route('/', adminVolunteerRoutes({ auth, adminVolunteers: createAdminVolunteerService({ users, clock }) }))
    .route('/', adminAedRegistryRoutes({ auth, adminAeds: createAdminAedService({ aeds, campuses, clock }) }))
    .route('/', adminQrRoutes({ auth, adminQr: createAdminQrService({ campuses }), publicUrl: deps.config.PUBLIC_URL }))
    .route('/', adminCampusRoutes({ auth, campuses }))
    .route('/', adminIncidentRoutes({ auth, adminIncidents: createAdminIncidentService({ incidents: createIncidentRepository(db), users }) }))
    .route('/', adminCoverageRoutes({ auth, coverage: createCoverageService({ campuses, aeds, clock, dispatch: deps.dispatch }) }));
}

/** The admin console's routes as the web app's typed client (`hc<AdminApiType>`) sees them. */
export type AdminApiType = ReturnType<typeof adminRoutes>;
