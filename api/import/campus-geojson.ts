/**
 * Turns a derived campus into GeoJSON (RFC 7946: positions are [lng, lat]) for the committed
 * geo-data files: coordinates rounded to 6 decimals (about 0.1 m), one feature per line so git diffs
 * stay readable. Pure.
 */
import type { OsmBuilding, OsmWalkway } from './osm-campus';
import type { LatLng } from './planar-geometry';
import type { QrSpotSeed } from './qr-spots';

export type Position = [lng: number, lat: number];

export interface GeoJsonFeature<G = unknown, P = Record<string, unknown>> {
  type: 'Feature';
  id?: string;
  geometry: G;
  properties: P;
}

export type PointGeometry = { type: 'Point'; coordinates: Position };
export type LineStringGeometry = { type: 'LineString'; coordinates: Position[] };
export type AreaGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

const COORDINATE_DECIMALS = 6;
const SCALE = 10 ** COORDINATE_DECIMALS;

/** Rounds degrees to 6 decimals; equal inputs give equal outputs, so shared nodes stay shared. */
export function roundDegrees(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

/** A `{lat,lng}` as a rounded GeoJSON position. */
export function toPosition(point: LatLng): Position {
  return [roundDegrees(point.lng), roundDegrees(point.lat)];
}

/** A GeoJSON position as `{lat,lng}`. */
export function fromPosition(position: readonly number[]): LatLng {
  return { lat: position[1], lng: position[0] };
}

/** A building as a Polygon (or MultiPolygon) feature with properties `osmId, name, name:zh?, levels?`. */
export function buildingToFeature(building: OsmBuilding): GeoJsonFeature<AreaGeometry> {
  const polygons = building.polygons.map((rings) => rings.map(toRoundedRing));
  const geometry: AreaGeometry =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  const properties: Record<string, unknown> = { osmId: building.osmId, name: building.name };
  if (building.nameZh !== undefined) properties['name:zh'] = building.nameZh;
  if (building.levels !== undefined) properties.levels = building.levels;
  return { type: 'Feature', id: building.osmId, geometry, properties };
}

// Rounding can merge neighbouring vertices; drop the repeats so no edge has zero length.
function toRoundedRing(ring: readonly LatLng[]): Position[] {
  const positions: Position[] = [];
  for (const point of ring) {
    const position = toPosition(point);
    const last = positions[positions.length - 1];
    if (!last || last[0] !== position[0] || last[1] !== position[1]) positions.push(position);
  }
  return positions;
}

/** A walkway as a LineString feature; `nodeIds` stay parallel to the coordinates. */
export function walkwayToFeature(walkway: OsmWalkway): GeoJsonFeature<LineStringGeometry> {
  const properties: Record<string, unknown> = { osmId: walkway.osmId, highway: walkway.highway, steps: walkway.steps };
  if (walkway.name !== undefined) properties.name = walkway.name;
  properties.nodeIds = walkway.nodeIds;
  return { type: 'Feature', id: walkway.osmId, geometry: { type: 'LineString', coordinates: walkway.coords.map(toPosition) }, properties };
}

/** A QR spot as a Point feature whose properties are the seed without `lat`/`lng`. */
export function qrSpotToFeature(spot: QrSpotSeed): GeoJsonFeature<PointGeometry> {
  const { lat, lng, ...properties } = spot;
  return { type: 'Feature', id: spot.code, geometry: { type: 'Point', coordinates: toPosition({ lat, lng }) }, properties };
}

/** A FeatureCollection as compact JSON with one feature per line, ending in a newline. */
export function formatFeatureCollection(features: readonly GeoJsonFeature[]): string {
  if (features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
  const lines = features.map((feature) => JSON.stringify(feature));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}
