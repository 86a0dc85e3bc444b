import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AedRepository } from '../db/aed-repository.ts';
import { AppError, ValidationError } from '../errors.ts';
import { aedsToFeatureCollection } from '../import/aed-export.ts';
import type { AuthService } from '../services/auth.ts';
import { importAeds } from '../services/aed-import.ts';
import { requireUser } from './middleware/auth.ts';
import { createRouter, type AppEnv } from './router.ts';
import { authErrorResponses, errorResponses, ErrorSchema } from './schemas.ts';

/** Largest GeoJSON upload: Poland's 11,466 AEDs are 4 MB, so this leaves room for a large country. */
export const AED_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

// Plain OpenAPI schemas, not zod: the handler parses the body itself, so a malformed file gets our
// INVALID_JSON / INVALID_GEOJSON error and a 50 MB body is parsed once, not by a validator first.
const featureCollectionDoc = {
  type: 'object' as const,
  description:
    'GeoJSON FeatureCollection of Point features with OSM tags as properties (emergency=defibrillator, access, indoor, level, opening_hours, defibrillator:location[:lang], ...). ' +
    'OSM exports are keyed by their OSM id (@id, @osm_id, osm_id or feature id "node/123"); other registries by the ref tag, else the feature id.',
  required: ['type', 'features'],
  properties: {
    type: { type: 'string' as const, enum: ['FeatureCollection'] },
    features: { type: 'array' as const, items: { type: 'object' as const } },
  },
};

const AedFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    attribution: z.string().optional(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string().optional().openapi({ example: 'node/2000506096' }),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat]' }) }),
        properties: z.record(z.string(), z.string()).openapi({ example: { '@id': 'node/2000506096', emergency: 'defibrillator', indoor: 'yes' } }),
      }),
    ),
  })
  .openapi('AedFeatureCollection');

const IssueSchema = z.object({ index: z.number().int(), reason: z.string() });

const ImportResultSchema = z
  .object({
    imported: z.number().int().openapi({ description: 'New AEDs' }),
    updated: z.number().int().openapi({ description: 'Existing AEDs that changed' }),
    unchanged: z.number().int().openapi({ description: 'Existing AEDs with exactly these values' }),
    rejected: z.array(IssueSchema).openapi({ description: 'Features not imported, by index in features' }),
    warnings: z.array(IssueSchema).openapi({ description: 'Features imported with a caveat' }),
  })
  .openapi('AedImportResult');

const errorBody = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

const importRoute = createRoute({
  method: 'post',
  path: '/admin/aeds/import',
  summary: 'Import AEDs from OSM-tagged GeoJSON (body, or multipart field "file")',
  request: {
    query: z.object({
      source: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lower-case letters, digits, ".", "_" or "-"')
        .optional()
        .openapi({ description: 'Registry name for files without OSM ids (default "import"); AEDs are keyed by (source, ref)' }),
    }),
    body: {
      required: true,
      content: {
        'application/geo+json': { schema: featureCollectionDoc },
        'application/json': { schema: featureCollectionDoc },
        'multipart/form-data': {
          schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        },
      },
    },
  },
  responses: {
    200: { description: 'What was imported; nothing is written when the file is malformed', content: { 'application/json': { schema: ImportResultSchema } } },
    ...errorResponses,
    ...authErrorResponses,
    413: errorBody('The file is larger than 50 MB'),
    415: errorBody('Not GeoJSON, JSON or multipart/form-data'),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/admin/aeds/export.geojson',
  summary: 'The AED registry as OSM-tagged GeoJSON (re-importable)',
  responses: {
    200: { description: 'A FeatureCollection, as a download', content: { 'application/geo+json': { schema: AedFeatureCollectionSchema } } },
    ...authErrorResponses,
  },
});

/** The uploaded file's text: the raw JSON body, or the multipart `file` field. */
async function readImportBody(c: Context<AppEnv>): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data') {
    const form = await c.req.parseBody().catch((cause: unknown) => {
      throw new ValidationError('The multipart body could not be read: send the GeoJSON in a "file" field', [{ path: 'file', message: String(cause) }]);
    });
    const file = form.file;
    if (file instanceof Blob) return file.text();
    if (typeof file === 'string') return file;
    throw new ValidationError('file: attach the GeoJSON in a multipart field named "file"', [
      { path: 'file', message: 'is required' },
    ]);
  }
  if (/^application\/([a-z0-9.-]+\+)?json$/.test(type)) return c.req.text();
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the GeoJSON as application/geo+json, application/json, or multipart/form-data with a "file" field');
}

/** Admin-only AED registry import and export. */
export function adminAedRoutes(deps: { auth: AuthService; aeds: AedRepository }) {
  const router = createRouter();
  // Scoped to /admin/aeds so other admin sub-apps mounted at '/' do not authenticate twice.
  router.use('/admin/aeds/*', requireUser(deps.auth, ['admin']));
  router.use(
    '/admin/aeds/import',
    bodyLimit({
      maxSize: AED_IMPORT_MAX_BYTES,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${AED_IMPORT_MAX_BYTES / 1024 / 1024} MB`);
      },
    }),
  );
  return router
    .openapi(importRoute, async (c) => {
      const { source } = c.req.valid('query');
      const result = await importAeds(deps.aeds, await readImportBody(c), { source });
      return c.json(result, 200);
    })
    .openapi(exportRoute, async (c) => {
      const collection = aedsToFeatureCollection(await deps.aeds.listAll());
      return c.json(collection, 200, {
        'content-type': 'application/geo+json; charset=utf-8',
        'content-disposition': 'attachment; filename="aed-registry.geojson"',
      });
    });
}
