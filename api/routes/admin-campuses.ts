import { createRoute, z } from '@hono/zod-openapi';
import type { CampusRepository } from '../db/campus-repository.ts';
import { NotFoundError } from '../errors.ts';
import type { AuthService } from '../services/auth.ts';
import { adminErrors, errorBody, idParam, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

const point = z.object({ lat: z.number(), lng: z.number() });

const AdminCampusSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    nameZh: z.string().nullable(),
    timezone: z.string(),
    center: point,
    bounds: z.object({ minLat: z.number(), minLng: z.number(), maxLat: z.number(), maxLng: z.number() }),
  })
  .openapi('AdminCampus');

const listRoute = createRoute({
  method: 'get',
  path: '/admin/campuses',
  summary: 'Campuses with their ids (the admin forms need them)',
  security,
  responses: { 200: { description: 'Campuses', ...json(z.object({ campuses: z.array(AdminCampusSchema) })) }, ...adminErrors },
});

const buildingsRoute = createRoute({
  method: 'get',
  path: '/admin/campuses/{id}/buildings',
  summary: "A campus's buildings (for placing QR spots and AEDs)",
  security,
  request: { params: idParam },
  responses: {
    200: {
      description: 'Buildings by name',
      ...json(z.object({ buildings: z.array(z.object({ id: z.uuid(), name: z.string(), nameZh: z.string().nullable(), levels: z.number().nullable(), centroid: point })) })),
    },
    ...adminErrors,
    404: errorBody('No such campus'),
  },
});

/** Admin-only campus reads. Plain repository reads, so no service. */
export function adminCampusRoutes(deps: { auth: AuthService; campuses: CampusRepository }) {
  const { campuses } = deps;
  const router = createRouter();
  router.use('/admin/campuses/*', requireAdmin(deps.auth));
  return router
    .openapi(listRoute, async (c) => {
      const rows = await campuses.listCampuses();
      const out = rows.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        nameZh: r.nameZh,
        timezone: r.timezone,
        center: { lat: r.centerLat, lng: r.centerLng },
        bounds: { minLat: r.minLat, minLng: r.minLng, maxLat: r.maxLat, maxLng: r.maxLng },
      }));
      return c.json({ campuses: out }, 200);
    })
    .openapi(buildingsRoute, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await campuses.findCampusById(id))) throw new NotFoundError('No such campus');
      const rows = await campuses.listBuildings(id);
      const buildings = rows.map((b) => ({ id: b.id, name: b.name, nameZh: b.nameZh, levels: b.levels, centroid: { lat: b.centroidLat, lng: b.centroidLng } }));
      return c.json({ buildings }, 200);
    });
}
