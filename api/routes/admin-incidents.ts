import { createRoute, z } from '@hono/zod-openapi';
import type { AdminIncidentService } from '../services/admin-incidents.ts';
import { reportsToCsv } from '../services/admin-reports-csv.ts';
import type { AuthService } from '../services/auth.ts';
import { adminErrors, errorBody, idParam, isoDate, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

const seconds = z.number().nullable();

const IncidentSummarySchema = z
  .object({
    id: z.uuid(),
    campusId: z.string().nullable(),
    state: z.enum(['open', 'resolved', 'cancelled']),
    isDrill: z.boolean(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    level: z.number().nullable(),
    locationText: z.string().nullable().openapi({ description: 'The QR spot: building · floor · entrance · its Chinese text, as one line' }),
    location: z
      .object({ buildingName: z.string().nullable(), floor: z.string().nullable(), entrance: z.string().nullable(), entranceZh: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The QR spot in parts (floor as OSM level: "0" is the ground floor); null for an incident without one' }),
    alerted: z.number().int(),
    accepted: z.number().int(),
    arrived: z.number().int(),
    times: z.object({ firstAcceptS: seconds, firstArrivalS: seconds, aedArrivalS: seconds, plannedCprEtaS: seconds, plannedAedEtaS: seconds }),
  })
  .openapi('AdminIncidentSummary');

const IncidentDetailSchema = IncidentSummarySchema.extend({
  dispatches: z.array(
    z.object({
      volunteerId: z.string(),
      volunteerName: z.string().nullable(),
      role: z.enum(['cpr', 'aed', 'backup']),
      status: z.enum(['alerted', 'accepted', 'declined', 'arrived', 'timed_out', 'released', 'cancelled']),
      aedId: z.string().nullable(),
      etaS: z.number().nullable(),
      wave: z.number().int(),
      alertedAt: z.string(),
      answeredAt: z.string().nullable(),
      arrivedAt: z.string().nullable(),
      position: z.object({ lat: z.number(), lng: z.number(), at: z.string().nullable() }).nullable(),
    }),
  ),
  timeline: z.array(
    z.object({ at: z.string(), sinceS: z.number(), type: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(), data: z.record(z.string(), z.unknown()) }),
  ),
}).openapi('AdminIncidentDetail');

const reportQuery = z
  .object({
    from: isoDate.optional().openapi({ description: 'First day (UTC), inclusive' }),
    to: isoDate.optional().openapi({ description: 'Last day (UTC), inclusive' }),
    drills: z.enum(['true', 'false']).default('false').openapi({ description: 'Include drills' }),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

const openRoute = createRoute({
  method: 'get',
  path: '/admin/incidents',
  summary: 'Open incidents, oldest first, with counts and response times so far',
  security,
  responses: { 200: { description: 'Open incidents', ...json(z.object({ incidents: z.array(IncidentSummarySchema) })) }, ...adminErrors },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/admin/incidents/{id}',
  summary: 'One incident with its timeline: who was alerted, accepted, arrived, and when',
  security,
  request: { params: idParam },
  responses: { 200: { description: 'The incident', ...json(IncidentDetailSchema) }, ...adminErrors, 404: errorBody('No such incident') },
});

const reportsRoute = createRoute({
  method: 'get',
  path: '/admin/reports',
  summary: 'After-action reports: response times per incident (time to first accept, first CPR arrival, AED arrival)',
  security,
  request: { query: reportQuery },
  responses: { 200: { description: 'Newest first', ...json(z.object({ reports: z.array(IncidentSummarySchema) })) }, ...adminErrors },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/admin/reports.csv',
  summary: 'The after-action reports as CSV',
  security,
  request: { query: reportQuery },
  responses: { 200: { description: 'CSV, one incident a row', content: { 'text/csv': { schema: z.string() } } }, ...adminErrors },
});

const DAY_MS = 86_400_000;
function range(q: z.infer<typeof reportQuery>) {
  return {
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : undefined,
    includeDrills: q.drills === 'true',
    limit: q.limit,
  };
}

/** Admin-only live incidents and after-action reports. */
export function adminIncidentRoutes(deps: { auth: AuthService; adminIncidents: AdminIncidentService }) {
  const { adminIncidents } = deps;
  const router = createRouter();
  router.use('/admin/incidents/*', requireAdmin(deps.auth));
  router.use('/admin/reports/*', requireAdmin(deps.auth));
  router.use('/admin/reports.csv', requireAdmin(deps.auth));
  return router
    .openapi(openRoute, async (c) => c.json({ incidents: await adminIncidents.listOpen() }, 200))
    .openapi(detailRoute, async (c) => c.json(await adminIncidents.detail(c.req.valid('param').id), 200))
    .openapi(reportsRoute, async (c) => c.json({ reports: await adminIncidents.reports(range(c.req.valid('query'))) }, 200))
    .openapi(csvRoute, async (c) => {
      const csv = reportsToCsv(await adminIncidents.reports(range(c.req.valid('query'))));
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="after-action-reports.csv"' });
    });
}
