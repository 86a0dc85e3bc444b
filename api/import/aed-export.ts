/**
 * The registry as OSM-tagged GeoJSON (RFC 7946, positions [lng, lat]): the same form the importer
 * reads, so export -> import gives back the same records. Pure.
 */
import type { AedRecord } from './aed-geojson.ts';
import { columnsFromTags, writeColumnsToTags, type AedColumns } from './aed-tags.ts';

/** The ODbL credit that travels with anything derived from OpenStreetMap. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0';

export interface AedExportFeature {
  type: 'Feature';
  /** `node/123` for OSM data, the registry's own key otherwise. */
  id?: string;
  geometry: { type: 'Point'; coordinates: [lng: number, lat: number] };
  properties: Record<string, string>;
}

export interface AedExportCollection {
  type: 'FeatureCollection';
  /** Present when any AED comes from OpenStreetMap (a foreign member; importers ignore it). */
  attribution?: string;
  features: AedExportFeature[];
}

/** What the export reads of a registry row: a record, whatever else the row carries. */
export type ExportableAed = Pick<AedRecord, 'osmId' | 'externalRef' | 'lat' | 'lng' | 'tags'> & AedColumns;

function columnsOf(aed: ExportableAed): AedColumns {
  const keys = Object.keys(columnsFromTags({})) as (keyof AedColumns)[];
  return Object.fromEntries(keys.map((k) => [k, aed[k]])) as unknown as AedColumns;
}

/**
 * One AED as a feature. Properties are the stored tags with the current column values written back
 * where they differ (an admin's edit wins over the imported tag), `emergency=defibrillator`, and
 * `@id` for OSM data. A registry record's key goes in the feature `id` (and stays in `ref` when it
 * came from there), which is where the importer looks for it.
 */
export function aedToFeature(aed: ExportableAed): AedExportFeature {
  const tags = writeColumnsToTags(aed.tags, columnsOf(aed));
  tags.emergency = 'defibrillator';
  const properties = aed.osmId !== null ? { '@id': aed.osmId, ...tags } : tags;
  const id = aed.osmId ?? aed.externalRef ?? undefined;
  return {
    type: 'Feature',
    ...(id !== undefined ? { id } : {}),
    geometry: { type: 'Point', coordinates: [aed.lng, aed.lat] },
    properties,
  };
}

/** The registry as a FeatureCollection, in the order given. */
export function aedsToFeatureCollection(aeds: readonly ExportableAed[]): AedExportCollection {
  const fromOsm = aeds.some((a) => a.osmId !== null);
  return {
    type: 'FeatureCollection',
    ...(fromOsm ? { attribution: OSM_ATTRIBUTION } : {}),
    features: aeds.map(aedToFeature),
  };
}
