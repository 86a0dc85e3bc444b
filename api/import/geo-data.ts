/**
 * Loads a committed campus folder (geo-data/<slug>/, written by scripts/derive-demo-campus.ts) and
 * validates every file with zod before anything uses it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fromPosition } from './campus-geojson';
import type { OsmBuilding, OsmWalkway } from './osm-campus';
import { computePolygonCentroid } from './planar-geometry';
import { QR_CODE_ALPHABET, QR_CODE_LENGTH, type QrSpotSeed } from './qr-spots';

/** The demo campus shipped with the repository. */
export const DEMO_CAMPUS_DIR = fileURLToPath(new URL('../../geo-data/northwestern-evanston/', import.meta.url));

/** Thrown when a geo-data file is not valid JSON, does not match its schema, or refers to a missing building. */
export class GeoDataError extends Error {
  readonly code = 'GEO_DATA_INVALID' as const;
  override readonly name = 'GeoDataError';
}

const digits = z.string().regex(/^\d+$/);
const latLng = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4);
const featureOf = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('Feature'), id: z.string().optional(), geometry, properties });
const collectionOf = <F extends z.ZodType>(feature: F) => z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });
const point = z.object({ type: z.literal('Point'), coordinates: position });

const campusSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  nameZh: z.string().min(1).optional(),
  timezone: z.string().min(1),
  bounds: z.object({ minLat: z.number(), minLng: z.number(), maxLat: z.number(), maxLng: z.number() }),
  center: latLng,
  attribution: z.string().min(1),
  source: z.string().min(1),
});

const buildingsSchema = collectionOf(
  featureOf(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
      z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
    ]),
    z.object({
      osmId: z.union([z.templateLiteral(['way/', digits]), z.templateLiteral(['relation/', digits])]),
      name: z.string().min(1),
      'name:zh': z.string().min(1).optional(),
      levels: z.number().positive().optional(),
    }),
  ),
);

const walkwaysSchema = collectionOf(
  featureOf(
    z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
    z.object({
      osmId: z.templateLiteral(['way/', digits]),
      highway: z.string().min(1),
      steps: z.boolean(),
      name: z.string().optional(),
      nodeIds: z.array(digits),
    }),
  ).refine((f) => f.properties.nodeIds.length === f.geometry.coordinates.length, {
    message: 'nodeIds must be parallel to the coordinates',
  }),
);

const qrSpotsSchema = collectionOf(
  featureOf(
    point,
    z.object({
      code: z.string().regex(new RegExp(`^[${QR_CODE_ALPHABET}]{${QR_CODE_LENGTH}}$`)),
      buildingOsmId: z.union([z.templateLiteral(['way/', digits]), z.templateLiteral(['relation/', digits])]),
      buildingName: z.string().min(1),
      floor: z.string().min(1),
      entrance: z.string().min(1),
      entranceZh: z.string().min(1).optional(),
      entranceOsmId: z.templateLiteral(['node/', digits]).optional(),
      source: z.enum(['osm-entrance', 'nearest-walkway', 'outline']),
    }),
  ),
);

// OSM tags are all text; the loader checks only what makes a point an AED.
const aedsSchema = collectionOf(
  featureOf(point, z.record(z.string(), z.string()).refine((tags) => tags.emergency === 'defibrillator', {
    message: 'an AED needs emergency=defibrillator',
  })),
);

export type CampusInfo = z.infer<typeof campusSchema>;
/** An AED as an OSM-tagged GeoJSON point feature, as stored in aeds.geojson. */
export type AedFeature = z.infer<typeof aedsSchema>['features'][number];

/** A QR spot as a geo-data folder holds it: one derived before Chinese labels has no `entranceZh`. */
export type StoredQrSpot = Omit<QrSpotSeed, 'entranceZh'> & Partial<Pick<QrSpotSeed, 'entranceZh'>>;

export interface CampusGeoData {
  campus: CampusInfo;
  buildings: OsmBuilding[];
  walkways: OsmWalkway[];
  qrSpots: StoredQrSpot[];
  aeds: AedFeature[];
}

/**
 * Reads and validates campus.json, buildings, walkways, qr-spots and aeds GeoJSON from `dir`.
 * @throws GeoDataError when a file is invalid or a QR spot names a building that is not there.
 * File-system errors (a missing file) propagate as they are.
 */
export async function loadCampusGeoData(dir: string): Promise<CampusGeoData> {
  const [campus, buildingFile, walkwayFile, qrSpotFile, aedFile] = await Promise.all([
    readValidated(dir, 'campus.json', campusSchema),
    readValidated(dir, 'buildings.geojson', buildingsSchema),
    readValidated(dir, 'walkways.geojson', walkwaysSchema),
    readValidated(dir, 'qr-spots.geojson', qrSpotsSchema),
    readValidated(dir, 'aeds.geojson', aedsSchema),
  ]);
  const buildings = buildingFile.features.map((feature): OsmBuilding => {
    const { geometry, properties } = feature;
    const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    const polygons = parts.map((rings) => rings.map((r) => r.map(fromPosition)));
    const building: OsmBuilding = { osmId: properties.osmId, name: properties.name, polygon: polygons[0], polygons, centroid: computePolygonCentroid(polygons[0]) };
    if (properties['name:zh'] !== undefined) building.nameZh = properties['name:zh'];
    if (properties.levels !== undefined) building.levels = properties.levels;
    return building;
  });
  const walkways = walkwayFile.features.map(({ geometry, properties }): OsmWalkway => ({
    ...properties,
    coords: geometry.coordinates.map(fromPosition),
  }));
  const qrSpots = qrSpotFile.features.map(({ geometry, properties }): StoredQrSpot => ({ ...properties, ...fromPosition(geometry.coordinates) }));
  const buildingIds = new Set(buildings.map((b) => b.osmId));
  const orphan = qrSpots.find((spot) => !buildingIds.has(spot.buildingOsmId));
  if (orphan) throw new GeoDataError(`qr-spots.geojson: spot ${orphan.code} names missing building ${orphan.buildingOsmId}`);
  return { campus, buildings, walkways, qrSpots, aeds: aedFile.features };
}

async function readValidated<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readFile(join(dir, file), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new GeoDataError(`${file} is not valid JSON`, { cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new GeoDataError(`${file} is invalid: ${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}
