import { createRoute, z } from '@hono/zod-openapi';
import type { AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository } from '../db/campus-repository.ts';
import { NotFoundError } from '../errors.ts';
import type { Clock } from '../services/clock.ts';
import type { IncidentPlanner } from '../services/planner.ts';
import { createRouter } from './router.ts';
import { ErrorSchema, errorResponses, latitude, longitude, NearestAedSchema } from './schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const SpotSchema = z
  .object({
    code: z.string(),
    buildingName: z.string().nullable(),
    floor: z.string().nullable(),
    entrance: z.string().nullable(),
    /** The entrance in Chinese, when the spot has it. */
    entranceZh: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    campus: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable() }).nullable(),
  })
  .openapi('QrSpot');

const NearestSchema = z.object({ aeds: z.array(NearestAedSchema) }).openapi('NearestAeds');

const qrRoute = createRoute({
  method: 'get',
  path: '/qr/{code}',
  summary: 'Where a QR code hangs: building, floor, entrance (the bystander page needs no GPS)',
  request: { params: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).openapi({ param: { name: 'code', in: 'path' } }) }) },
  responses: { 200: { description: 'The spot', ...json(SpotSchema) }, 404: { description: 'Unknown code', ...json(ErrorSchema) }, ...errorResponses },
});

const nearestRoute = createRoute({
  method: 'get',
  path: '/aeds/nearest',
  summary: 'AEDs nearest by walking time, with whether each is usable now',
  request: {
    query: z.object({
      lat: latitude,
      lng: longitude,
      limit: z.coerce.number().int().min(1).max(50).default(5),
    }),
  },
  responses: { 200: { description: 'Nearest first by walking time', ...json(NearestSchema) }, ...errorResponses },
});

const mapRoute = createRoute({
  method: 'get',
  path: '/campuses/{slug}/map',
  summary: 'A campus as GeoJSON layers (buildings, walkways, QR spots, AEDs) for vector maps',
  request: { params: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/).openapi({ param: { name: 'slug', in: 'path' } }) }) },
  responses: { 200: { description: 'Layers', ...json(z.any().openapi({ type: 'object' })) }, 404: { description: 'Unknown campus', ...json(ErrorSchema) } },
});

const campusesRoute = createRoute({
  method: 'get',
  path: '/campuses',
  summary: 'The campuses served',
  responses: {
    200: {
      description: 'Campuses',
      ...json(z.object({ campuses: z.array(z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), timezone: z.string(), center: z.object({ lat: z.number(), lng: z.number() }), attribution: z.string().nullable() })) })),
    },
  },
});

const point = z
  .string()
  .regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'must be "lat,lng"')
  .transform((v) => {
    const [lat, lng] = v.split(',').map(Number) as [number, number];
    return { lat, lng };
  })
  .refine((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180, 'latitude or longitude out of range');

const routeRoute = createRoute({
  method: 'get',
  path: '/route',
  summary: 'A walking route on the campus paths (from, optionally via an AED, to the patient)',
  request: { query: z.object({ from: point, to: point, via: point.optional() }) },
  responses: {
    200: {
      description: 'A GeoJSON LineString feature ([lng, lat]) with its walking time',
      ...json(
        z.object({
          type: z.literal('Feature'),
          geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) }),
          properties: z.object({ timeS: z.number(), onGraph: z.boolean().openapi({ description: 'false: a straight line, no path data there' }) }),
        }),
      ),
    },
    ...errorResponses,
  },
});

const configRoute = createRoute({
  method: 'get',
  path: '/config',
  summary: 'Settings the web app needs (map tiles)',
  responses: { 200: { description: 'Public settings', ...json(z.object({ tileUrl: z.string(), emergencyNumber: z.string() })) } },
});

export interface RoutePlanner {
  route(from: { lat: number; lng: number }, to: { lat: number; lng: number }, via?: { lat: number; lng: number }): Promise<{ path: { lat: number; lng: number }[]; timeS: number; onGraph: boolean }>;
}

export function publicRoutes(deps: { campuses: CampusRepository; aeds: AedRepository; planner: IncidentPlanner & RoutePlanner; clock: Clock; config: { TILE_URL: string } }) {
  const { campuses, planner, clock } = deps;
  return createRouter()
    .openapi(qrRoute, async (c) => {
      const spot = await campuses.findQrSpotByCode(c.req.valid('param').code);
      if (!spot) throw new NotFoundError('This QR code is not registered');
      const campus = await campuses.findCampusById(spot.campusId);
      return c.json(
        {
          code: spot.code,
          buildingName: spot.buildingName,
          floor: spot.floor,
          entrance: spot.entrance,
          entranceZh: spot.entranceZh,
          lat: spot.lat,
          lng: spot.lng,
          campus: campus ? { slug: campus.slug, name: campus.name, nameZh: campus.nameZh } : null,
        },
        200,
      );
    })
    .openapi(nearestRoute, async (c) => {
      const { lat, lng, limit } = c.req.valid('query');
      const aeds = await planner.nearestAeds({ lat, lng }, limit, clock.now());
      return c.json({ aeds }, 200);
    })
    .openapi(campusesRoute, async (c) => {
      const rows = await campuses.listCampuses();
      return c.json(
        { campuses: rows.map((r) => ({ slug: r.slug, name: r.name, nameZh: r.nameZh, timezone: r.timezone, center: { lat: r.centerLat, lng: r.centerLng }, attribution: r.attribution })) },
        200,
      );
    })
    .openapi(mapRoute, async (c) => {
      const campus = await campuses.findCampusBySlug(c.req.valid('param').slug);
      if (!campus) throw new NotFoundError('No such campus');
      const [buildings, walkways, spots, aeds] = await Promise.all([
        campuses.listBuildings(campus.id),
        campuses.listWalkways(campus.id),
        campuses.listQrSpots(campus.id),
        deps.aeds.listByCampus(campus.id),
      ]);
      const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
      c.header('cache-control', 'public, max-age=300');
      return c.json(
        {
          campus: { slug: campus.slug, name: campus.name, nameZh: campus.nameZh, center: { lat: campus.centerLat, lng: campus.centerLng }, bounds: { minLat: campus.minLat, minLng: campus.minLng, maxLat: campus.maxLat, maxLng: campus.maxLng }, attribution: campus.attribution },
          buildings: fc(buildings.map((b) => ({ type: 'Feature', geometry: b.geometry, properties: { name: b.name, nameZh: b.nameZh } }))),
          walkways: fc(walkways.map((w) => ({ type: 'Feature', geometry: w.geometry, properties: { highway: w.highway, steps: w.isSteps } }))),
          qrSpots: fc(spots.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lng, s.lat] }, properties: { buildingName: s.buildingName, floor: s.floor, entrance: s.entrance } }))),
          aeds: fc(aeds.map((a) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [a.lng, a.lat] }, properties: { id: a.id, status: a.status, level: a.level, location: a.location, locationEn: a.locationEn, openingHours: a.openingHours } }))),
        },
        200,
      );
    })
    .openapi(routeRoute, async (c) => {
      const { from, to, via } = c.req.valid('query');
      const r = await planner.route(from, to, via);
      return c.json(
        { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: r.path.map((p) => [p.lng, p.lat] as [number, number]) }, properties: { timeS: Math.round(r.timeS), onGraph: r.onGraph } },
        200,
      );
    })
    .openapi(configRoute, (c) => c.json({ tileUrl: deps.config.TILE_URL, emergencyNumber: '120' }, 200));
}
