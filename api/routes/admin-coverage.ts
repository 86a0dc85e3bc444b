import { createRoute, z } from '@hono/zod-openapi';
import type { AuthService } from '../services/auth.ts';
import type { CoverageService } from '../services/coverage.ts';
import { adminErrors, errorBody, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

const SiteSchema = z.object({
  id: z.string(),
  label: z.string().openapi({ description: 'Where, in English where the campus data has it' }),
  labelZh: z.string().openapi({ description: 'Where, in Chinese where the campus data has it' }),
  lat: z.number(),
  lng: z.number(),
  retrievalS: z.number(),
  gainCells: z.number().int().openapi({ description: 'Cells an AED here brings inside 240 s' }),
  shareAfter: z.number().openapi({ description: 'Share of campus cells inside 240 s with this AED added' }),
});

const CoverageSchema = z
  .object({
    campus: z.object({ id: z.string(), slug: z.string(), name: z.string(), timezone: z.string() }),
    at: z.string().openapi({ description: 'The instant the AEDs were evaluated at' }),
    weekday: z.number().int(),
    hour: z.number().int(),
    res: z.number().int(),
    budgetS: z.number(),
    aeds: z.array(z.object({ id: z.string(), lat: z.number(), lng: z.number(), retrievalS: z.number(), label: z.string().nullable(), labelZh: z.string().nullable() })),
    unusableAeds: z.number().int(),
    totalCells: z.number().int(),
    coveredCells: z.number().int(),
    shareWithin240s: z.number(),
    cells: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(
        z.object({
          type: z.literal('Feature'),
          geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) }),
          properties: z.object({ cell: z.string(), timeS: z.number().nullable().openapi({ description: 'Best AED time at the cell centre, s; null beyond 600 s' }) }),
        }),
      ),
    }),
    suggestion: SiteSchema.nullable(),
    suggestions: z.array(SiteSchema),
  })
  .openapi('Coverage');

const coverageRoute = createRoute({
  method: 'get',
  path: '/admin/coverage',
  summary: 'Four-minute AED coverage of a campus in H3 cells at a weekday and hour, and where one more AED adds the most',
  security,
  request: {
    query: z.object({
      campus: z.string().regex(/^[a-z0-9-]{1,80}$/).openapi({ description: 'Campus slug' }),
      weekday: z.coerce.number().int().min(1).max(7).optional().openapi({ description: 'ISO weekday, 1 = Monday; default today' }),
      hour: z.coerce.number().int().min(0).max(23).optional().openapi({ description: 'Hour on the campus clock; default now' }),
      res: z.coerce.number().int().min(9).max(11).default(10).openapi({ description: 'H3 resolution of the cells' }),
    }),
  },
  responses: { 200: { description: 'Coverage', ...json(CoverageSchema) }, ...adminErrors, 404: errorBody('No such campus') },
});

/** Admin-only coverage map. */
export function adminCoverageRoutes(deps: { auth: AuthService; coverage: CoverageService }) {
  const router = createRouter();
  router.use('/admin/coverage/*', requireAdmin(deps.auth));
  return router.openapi(coverageRoute, async (c) => {
    const { campus, ...query } = c.req.valid('query');
    return c.json(await deps.coverage.coverage(campus, query), 200);
  });
}
