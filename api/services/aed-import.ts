import type { AedRepository } from '../db/aed-repository.ts';
import {
  DEFAULT_REGISTRY_SOURCE,
  parseAedFeatureCollection,
  parseAedGeoJsonText,
  type AedParseResult,
  type RecordIssue,
} from '../import/aed-geojson.ts';

export interface AedImportOptions {
  /**
   * Names the registry a file without OSM ids comes from: its AEDs are keyed by (source, ref), so
   * importing the same file with the same source again updates them. Default `import`.
   */
  source?: string;
  /** Assigns the AEDs to this campus. */
  campusId?: string;
  /** Progress of the database write: records written so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export interface AedImportResult {
  /** AEDs that were new. */
  imported: number;
  /** AEDs that existed and changed. */
  updated: number;
  /** AEDs that existed with exactly these values. */
  unchanged: number;
  /** Features that were not imported, by index in `features`. */
  rejected: RecordIssue[];
  /** Features imported with a caveat (unparseable opening_hours, duplicates, odd check_date). */
  warnings: RecordIssue[];
}

/**
 * Imports a GeoJSON FeatureCollection of AEDs: valid records are upserted in one transaction, bad
 * ones are reported. A malformed file writes nothing.
 * @param input the file's text, or JSON already parsed
 * @throws AedFileError (code INVALID_JSON or INVALID_GEOJSON) when the file as a whole is malformed.
 */
export async function importAeds(
  repo: Pick<AedRepository, 'upsertMany'>,
  input: unknown,
  options: AedImportOptions = {},
): Promise<AedImportResult> {
  const parseOptions = { source: options.source ?? DEFAULT_REGISTRY_SOURCE };
  const parsed: AedParseResult =
    typeof input === 'string' ? parseAedGeoJsonText(input, parseOptions) : parseAedFeatureCollection(input, parseOptions);
  const counts = await repo.upsertMany(parsed.records, { campusId: options.campusId, onProgress: options.onProgress });
  return { ...counts, rejected: parsed.rejected, warnings: parsed.warnings };
}
