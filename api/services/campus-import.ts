import type { CampusLoad, CampusRepository } from '../db/campus-repository.ts';
import { buildingToFeature, toPosition } from '../import/campus-geojson.ts';
import type { CampusGeoData, CampusInfo, StoredQrSpot } from '../import/geo-data.ts';
import type { OsmBuilding, OsmWalkway } from '../import/osm-campus.ts';
import { parseOsmCampus } from '../import/osm-campus.ts';
import { computePolygonCentroid } from '../import/planar-geometry.ts';
import { deriveQrSpots } from '../import/qr-spots.ts';

export interface CampusImportResult {
  campusId: string;
  buildings: number;
  walkways: number;
  qrSpots: number;
}

function toCampusLoad(campus: CampusInfo, buildings: OsmBuilding[], walkways: OsmWalkway[], spots: StoredQrSpot[]): CampusLoad {
  return {
    campus: {
      slug: campus.slug,
      name: campus.name,
      nameZh: campus.nameZh ?? null,
      timezone: campus.timezone,
      centerLat: campus.center.lat,
      centerLng: campus.center.lng,
      ...campus.bounds,
      attribution: campus.attribution,
    },
    buildings: buildings.map((b) => ({
      osmId: b.osmId,
      name: b.name,
      nameZh: b.nameZh ?? null,
      levels: b.levels === undefined ? null : Math.round(b.levels),
      centroidLat: b.centroid.lat,
      centroidLng: b.centroid.lng,
      geometry: buildingToFeature(b).geometry,
    })),
    walkways: walkways.map((w) => ({
      osmId: w.osmId,
      highway: w.highway,
      isSteps: w.steps,
      name: w.name ?? null,
      geometry: { type: 'LineString', coordinates: w.coords.map(toPosition) },
      nodeIds: w.nodeIds,
    })),
    qrSpots: spots.map((s) => ({
      code: s.code,
      buildingOsmId: s.buildingOsmId,
      buildingName: s.buildingName,
      floor: s.floor,
      entrance: s.entrance,
      entranceZh: s.entranceZh ?? null,
      lat: s.lat,
      lng: s.lng,
      source: s.source,
    })),
  };
}

/** Writes a committed geo-data campus (buildings, walkways, QR spots) to the database. */
export async function importCampusGeoData(campuses: CampusRepository, data: CampusGeoData): Promise<CampusImportResult> {
  return campuses.saveCampus(toCampusLoad(data.campus, data.buildings, data.walkways, data.qrSpots));
}

export interface OsmCampusOptions {
  slug: string;
  name: string;
  nameZh?: string;
  timezone?: string;
}

/**
 * Imports any campus OSM extract: named buildings, the walkable ways and a QR spot per entrance.
 * Importing the same extract again updates in place and keeps the QR codes.
 * @throws OsmParseError (code OSM_PARSE_ERROR) when the XML is not an OSM extract.
 */
export async function importCampusFromOsm(campuses: CampusRepository, xml: string, options: OsmCampusOptions): Promise<CampusImportResult> {
  const campus = parseOsmCampus(xml, { clipToBounds: true });
  const spots = deriveQrSpots(campus);
  const b = campus.bounds;
  const center = computePolygonCentroid([
    [
      { lat: b.minLat, lng: b.minLng },
      { lat: b.minLat, lng: b.maxLng },
      { lat: b.maxLat, lng: b.maxLng },
      { lat: b.maxLat, lng: b.minLng },
      { lat: b.minLat, lng: b.minLng },
    ],
  ]);
  const info: CampusInfo = {
    slug: options.slug,
    name: options.name,
    nameZh: options.nameZh,
    timezone: options.timezone ?? 'UTC',
    bounds: b,
    center,
    attribution: '© OpenStreetMap contributors, ODbL 1.0',
    source: 'osm',
  };
  return campuses.saveCampus(toCampusLoad(info, campus.buildings, campus.walkways, spots));
}
