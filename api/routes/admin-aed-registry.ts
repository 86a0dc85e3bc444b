import { createRoute, z } from '@hono/zod-openapi';
import type { AdminAedService } from '../services/admin-aeds.ts';
import type { AuthService } from '../services/auth.ts';
import { adminErrors, errorBody, idParam, json, requireAdmin, security } from './admin-common.ts';
import { AdminAedSchema, AedCreateSchema, AedPatchSchema, ReturnToServiceSchema } from './admin-aed-schemas.ts';
import { createRouter } from './router.ts';

const one = (description: string) => ({ description, ...json(AdminAedSchema) });
const stateConflict = { 409: errorBody('The AED is in a status that does not allow this (AED_STATE)') };

const listRoute = createRoute({
  method: 'get',
  path: '/admin/aeds',
  summary: 'The AED registry: search, filter by status or campus, a page at a time',
  security,
  request: {
    query: z.object({
      q: z.string().trim().max(100).refine((v) => !v.includes('\u0000'), 'holds a character that cannot be stored').optional().openapi({ description: 'Search location texts, ref, OSM id, operator, description' }),
      status: z.enum(['in_service', 'in_use', 'out_of_service', 'retired']).optional(),
      campusId: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: { 200: { description: 'A page of AEDs', ...json(z.object({ aeds: z.array(AdminAedSchema), total: z.number().int() })) }, ...adminErrors },
});

const expiringRoute = createRoute({
  method: 'get',
  path: '/admin/aeds/expiring',
  summary: 'AEDs whose pads or battery expired or expire within N days (default 30)',
  security,
  request: { query: z.object({ withinDays: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: { 200: { description: 'Soonest first', ...json(z.object({ aeds: z.array(AdminAedSchema) })) }, ...adminErrors },
});

const createAedRoute = createRoute({
  method: 'post',
  path: '/admin/aeds',
  summary: 'Register an AED (opening_hours, level and location texts are validated)',
  security,
  request: { body: { required: true, ...json(AedCreateSchema) } },
  responses: { 201: one('The new AED'), ...adminErrors, 409: errorBody('The ref is taken (AED_REF_TAKEN)') },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/admin/aeds/{id}',
  summary: 'Edit an AED; status only between in service and out of service',
  security,
  request: { params: idParam, body: { required: true, ...json(AedPatchSchema) } },
  responses: { 200: one('The AED'), ...adminErrors, 404: errorBody('No such AED'), ...stateConflict },
});

/** A POST on one AED; the path stays a literal type, so the typed web client sees the route. */
const action = <P extends string>(path: P, summary: string) =>
  createRoute({
    method: 'post',
    path,
    summary,
    security,
    request: { params: idParam },
    responses: { 200: one('The AED'), ...adminErrors, 404: errorBody('No such AED'), ...stateConflict },
  });

const retireRoute = action('/admin/aeds/{id}/retire', 'Retire an AED (kept for history and in the export)');
const returnRoute = createRoute({
  method: 'post',
  path: '/admin/aeds/{id}/return-to-service',
  summary: 'Return a used or broken AED to service after fitting new pads',
  security,
  request: { params: idParam, body: { required: true, ...json(ReturnToServiceSchema) } },
  responses: { 200: one('The AED'), ...adminErrors, 404: errorBody('No such AED'), ...stateConflict },
});
const confirmRoute = action('/admin/aeds/{id}/confirm-check', 'Confirm the AED on site: check_date becomes today');

/** Admin-only AED registry: list, create, edit, retire, return to service, confirm on site, expiries. */
export function adminAedRegistryRoutes(deps: { auth: AuthService; adminAeds: AdminAedService }) {
  const { adminAeds } = deps;
  const router = createRouter();
  router.use('/admin/aeds/*', requireAdmin(deps.auth));
  return router
    .openapi(listRoute, async (c) => {
      const { q, status, campusId, limit, offset } = c.req.valid('query');
      return c.json(await adminAeds.list({ search: q || undefined, status, campusId, limit, offset }), 200);
    })
    .openapi(expiringRoute, async (c) => c.json({ aeds: await adminAeds.expiring(c.req.valid('query').withinDays) }, 200))
    .openapi(createAedRoute, async (c) => c.json(await adminAeds.create(c.req.valid('json')), 201))
    .openapi(patchRoute, async (c) => c.json(await adminAeds.update(c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(retireRoute, async (c) => c.json(await adminAeds.retire(c.req.valid('param').id), 200))
    .openapi(returnRoute, async (c) => c.json(await adminAeds.returnToService(c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(confirmRoute, async (c) => c.json(await adminAeds.confirmOnSite(c.req.valid('param').id), 200));
}
