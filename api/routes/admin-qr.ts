import { createRoute, z } from '@hono/zod-openapi';
import type { AdminQrService } from '../services/admin-qr.ts';
import type { AuthService } from '../services/auth.ts';
import { adminErrors, errorBody, idParam, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

const QrSpotAdminSchema = z
  .object({
    id: z.uuid(),
    campusId: z.uuid(),
    code: z.string().openapi({ description: '8 random characters; the printed URL is <base>/e/<code>' }),
    path: z.string().openapi({ example: '/e/5y8x8y7q' }),
    buildingId: z.string().nullable(),
    buildingName: z.string().nullable(),
    floor: z.string().nullable(),
    entrance: z.string().nullable(),
    entranceZh: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    active: z.boolean(),
    source: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('AdminQrSpot');

const label = (max: number) => z.string().trim().min(1).max(max).optional();
const osmLevel = z.string().trim().regex(/^-?\d{1,3}(\.\d)?(;-?\d{1,3}(\.\d)?)*$/, 'must be an OSM level: 0 ground floor, -1 basement');

const listRoute = createRoute({
  method: 'get',
  path: '/admin/qr-spots',
  summary: 'QR spots, active and deactivated',
  security,
  request: { query: z.object({ campusId: z.uuid().optional() }) },
  responses: { 200: { description: 'Spots', ...json(z.object({ spots: z.array(QrSpotAdminSchema) })) }, ...adminErrors },
});

const createSpotRoute = createRoute({
  method: 'post',
  path: '/admin/qr-spots',
  summary: 'Create a QR spot at a point of the campus (building, floor, entrance text)',
  security,
  request: {
    body: {
      required: true,
      ...json(
        z.object({
          campusId: z.uuid(),
          lat: z.number().min(-90).max(90),
          lng: z.number().min(-180).max(180),
          buildingId: z.uuid().optional(),
          buildingName: label(200),
          floor: osmLevel.optional(),
          entrance: label(200).openapi({ description: 'Where the code hangs, in English' }),
          entranceZh: label(200).openapi({ description: 'Where the code hangs, in Chinese' }),
        }),
      ),
    },
  },
  responses: { 201: { description: 'The new spot', ...json(QrSpotAdminSchema) }, ...adminErrors, 422: errorBody('The point is outside the campus (OUT_OF_CAMPUS)') },
});

const editSpotRoute = createRoute({
  method: 'patch',
  path: '/admin/qr-spots/{id}',
  summary: "Correct a spot's text (building name, floor, entrance); its code and printed sticker stay",
  security,
  request: {
    params: idParam,
    body: {
      required: true,
      ...json(
        z
          .object({
            buildingName: label(200).nullable().openapi({ description: 'null clears it' }),
            floor: osmLevel.nullable().optional(),
            entrance: label(200).nullable().openapi({ description: 'Where the code hangs, in English; null clears it' }),
            entranceZh: label(200).nullable().openapi({ description: 'Where the code hangs, in Chinese; null clears it' }),
          })
          .strict()
          .refine((patch) => Object.values(patch).some((v) => v !== undefined), { message: 'nothing to change: give buildingName, floor, entrance or entranceZh' }),
      ),
    },
  },
  responses: { 200: { description: 'The spot', ...json(QrSpotAdminSchema) }, ...adminErrors, 404: errorBody('No such spot') },
});

/** A POST on one spot; the path stays a literal type, so the typed web client sees the route. */
const activeRoute = <P extends string>(path: P, summary: string) =>
  createRoute({
    method: 'post',
    path,
    summary,
    security,
    request: { params: idParam },
    responses: { 200: { description: 'The spot', ...json(QrSpotAdminSchema) }, ...adminErrors, 404: errorBody('No such spot') },
  });

const sheetRoute = createRoute({
  method: 'get',
  path: '/admin/qr-spots/{id}/sheet.svg',
  summary: 'The printable A4 sheet of a spot (SVG): QR code, 扫码急救 / Scan in an emergency, the place, 120',
  security,
  request: { params: idParam },
  responses: {
    200: { description: 'An SVG image', content: { 'image/svg+xml': { schema: z.string() } } },
    ...adminErrors,
    404: errorBody('No such spot'),
    409: errorBody('The spot is deactivated (QR_SPOT_INACTIVE)'),
  },
});

/** Admin-only QR spots and their printable sheets. */
export function adminQrRoutes(deps: { auth: AuthService; adminQr: AdminQrService; publicUrl?: string }) {
  const { adminQr } = deps;
  const router = createRouter();
  router.use('/admin/qr-spots/*', requireAdmin(deps.auth));
  return router
    .openapi(listRoute, async (c) => c.json({ spots: await adminQr.list(c.req.valid('query').campusId) }, 200))
    .openapi(createSpotRoute, async (c) => c.json(await adminQr.create(c.req.valid('json')), 201))
    .openapi(editSpotRoute, async (c) => c.json(await adminQr.updateText(c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(activeRoute('/admin/qr-spots/{id}/deactivate', 'Deactivate a spot: its code stops opening the SOS page'), async (c) => c.json(await adminQr.setActive(c.req.valid('param').id, false), 200))
    .openapi(activeRoute('/admin/qr-spots/{id}/activate', 'Activate a deactivated spot again'), async (c) => c.json(await adminQr.setActive(c.req.valid('param').id, true), 200))
    .openapi(sheetRoute, async (c) => {
      const base = deps.publicUrl ?? new URL(c.req.url).origin;
      const { code, svg } = await adminQr.sheet(c.req.valid('param').id, base);
      return c.body(svg, 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'content-disposition': `inline; filename="qr-${code}.svg"`,
        'cache-control': 'no-store',
      });
    });
}
