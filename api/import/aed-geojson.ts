/**
 * Parses AED GeoJSON (RFC 7946, positions [lng, lat]) into registry records. Reads the shapes OSM
 * exports come in (openaedmap `@osm_type`/`@osm_id`, overpass-turbo `@id`, osmtogeojson `id` and
 * nested `tags`, plain `osm_id`) and a registry's own file keyed by its `ref` tag or feature `id`.
 * A malformed file throws; a malformed record is rejected with its index while the rest import.
 * Pure: no I/O.
 */
import OpeningHours from 'opening_hours';
import { z } from 'zod';
import { identityOf } from './aed-osm-id.ts';
import { columnsFromTags, extensionProblems, type AedColumns } from './aed-tags.ts';

/** Source of every record that has an OSM id: OSM data is OSM's, whoever uploads it. */
export const OSM_SOURCE = 'osm';
/** Default source of records without an OSM id: their key is (source, externalRef). */
export const DEFAULT_REGISTRY_SOURCE = 'import';

/** An AED ready to upsert: the `aeds` insert shape without id, H3 cell, campus and timestamps. */
export interface AedRecord extends AedColumns {
  /** `node/123` for OSM data, else null. */
  osmId: string | null;
  /** A registry's own key (its `ref` tag, else the feature id); null for OSM data. */
  externalRef: string | null;
  source: string;
  lat: number;
  lng: number;
  /** Every OSM tag of the feature, verbatim, with `emergency=defibrillator`; no export metadata. */
  tags: Record<string, string>;
}

/** A record that was rejected or imported with a caveat; `index` is its position in `features`. */
export interface RecordIssue {
  index: number;
  reason: string;
}

export interface AedParseResult {
  records: AedRecord[];
  rejected: RecordIssue[];
  warnings: RecordIssue[];
}

export interface AedParseOptions {
  /** Names the registry the file comes from; records without an OSM id are keyed by (source, externalRef). */
  source: string;
}

/** The file as a whole is not JSON, or not a GeoJSON FeatureCollection: nothing of it imports. */
export class AedFileError extends Error {
  override name = 'AedFileError';
  constructor(
    readonly code: 'INVALID_JSON' | 'INVALID_GEOJSON',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const coordinate = (name: string, limit: number) =>
  z
    .number({ error: `${name} must be a finite number` })
    .min(-limit, { error: (i) => `${name} ${String(i.input)} is outside -${limit}..${limit}` })
    .max(limit, { error: (i) => `${name} ${String(i.input)} is outside -${limit}..${limit}` });

const pointGeometry = z.object(
  {
    type: z.literal('Point', { error: (i) => `must be a Point, not ${JSON.stringify(i.input)}` }),
    coordinates: z
      .tuple([coordinate('longitude', 180), coordinate('latitude', 90)], z.number(), { error: 'must be [longitude, latitude]' })
      .refine(([lng, lat]) => lng !== 0 || lat !== 0, '[0, 0] ("null island") is a placeholder, not a place'),
  },
  { error: 'a Point geometry is required' },
);

const featureSchema = z.object(
  {
    type: z.literal('Feature', { error: (i) => `type must be "Feature", not ${JSON.stringify(i.input)}` }),
    id: z.union([z.string(), z.number()]).optional(),
    geometry: pointGeometry,
    properties: z.record(z.string(), z.unknown(), { error: 'must be an object of tags' }).nullish(),
  },
  { error: 'a feature must be a GeoJSON Feature object' },
);

type Feature = z.infer<typeof featureSchema>;

/** Contributor metadata of OSM exports: never tags. Keys starting with `@` are export metadata too. */
const METADATA_KEYS = new Set(['osm_id', 'osm_type', 'user', 'uid', 'changeset', 'timestamp', 'version']);

function tagValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** OSM tags, verbatim: flat properties, or osmtogeojson's nested `properties.tags`. */
function tagsOf(props: Record<string, unknown>, nested: boolean, idWasOsm: boolean): Record<string, string> {
  const source = nested ? (props.tags as Record<string, unknown>) : props;
  const tags: Record<string, string> = {};
  for (const [key, raw] of Object.entries(source)) {
    if (!nested && (key.startsWith('@') || METADATA_KEYS.has(key) || (key === 'id' && idWasOsm))) continue;
    const value = tagValue(raw);
    if (value !== undefined) tags[key] = value;
  }
  return tags;
}

function externalRefOf(feature: Feature, props: Record<string, unknown>, tags: Record<string, string>): string | null {
  const ref = tags.ref?.trim();
  if (ref) return ref;
  const id = feature.id ?? props.id;
  const value = typeof id === 'number' || typeof id === 'string' ? String(id).trim() : '';
  return value || null;
}

/** OSM lifecycle prefixes: `disused:emergency=defibrillator` is an AED that is no longer there. */
const LIFECYCLE_EMERGENCY = /^(disused|abandoned|removed|demolished|destroyed|razed|was|construction|proposed|planned):emergency$/;

/** NUL, or half of a UTF-16 surrogate pair: text PostgreSQL cannot store (and would fail the whole import on). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorableTag(tags: Record<string, string>, externalRef: string | null): string | undefined {
  if (externalRef !== null && UNSTORABLE.test(externalRef)) return 'the feature id';
  return Object.entries(tags).find(([k, v]) => UNSTORABLE.test(k) || UNSTORABLE.test(v))?.[0];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Why these tags are not an AED in service, or a registry extension is malformed. */
function tagProblem(tags: Record<string, string>): string | undefined {
  if (tags.emergency !== undefined && tags.emergency !== 'defibrillator') {
    return `emergency=${tags.emergency} is not an AED (expected emergency=defibrillator)`;
  }
  const lifecycle = tags.emergency === undefined ? Object.keys(tags).find((k) => LIFECYCLE_EMERGENCY.test(k)) : undefined;
  if (lifecycle !== undefined) return `${lifecycle}=${tags[lifecycle]} without emergency=*: not an AED in service`;
  const problems = extensionProblems(tags);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** One feature to a record, or the reason it cannot be one. */
function parseFeature(raw: unknown, source: string): AedRecord | string {
  const parsed = featureSchema.safeParse(raw);
  if (!parsed.success) return describeIssue(parsed.error.issues[0]);
  const feature = parsed.data;
  const props = feature.properties ?? {};
  const nested = typeof props.tags === 'object' && props.tags !== null && !Array.isArray(props.tags);
  const identity = identityOf(feature.id, props, nested);
  if ('error' in identity) return identity.error;
  const tags = tagsOf(props, nested, identity.idWasOsm);
  const problem = tagProblem(tags);
  if (problem !== undefined) return problem;
  tags.emergency = 'defibrillator';
  const externalRef = identity.osmId === null ? externalRefOf(feature, props, tags) : null;
  if (identity.osmId === null && externalRef === null) {
    return 'no OSM id, ref tag or feature id: a second import could not find this AED again';
  }
  const unstorable = unstorableTag(tags, externalRef);
  if (unstorable !== undefined) return `${JSON.stringify(unstorable)} holds a NUL character or broken Unicode, which cannot be stored`;
  const [lng, lat] = feature.geometry.coordinates;
  return {
    osmId: identity.osmId,
    externalRef,
    source: identity.osmId === null ? source : OSM_SOURCE,
    lat,
    lng,
    ...columnsFromTags(tags),
    tags,
  };
}

/** A reason when `value` is not OSM opening_hours syntax; cached per file, as many AEDs share "24/7". */
function openingHoursProblem(value: string, cache: Map<string, string | null>): string | null {
  let problem = cache.get(value);
  if (problem === undefined) {
    try {
      // null, not undefined: with no place given, the library accepts PH/SH rules instead of throwing.
      new OpeningHours(value, null);
      problem = null;
    } catch (err) {
      // Recovering: bad hours are real-world data, reported as a warning and never fatal.
      problem = openingHoursMessage(String(err));
    }
    cache.set(value, problem);
  }
  return problem;
}

/** The library's message is `<value> <--- (<reason> This means ...)`: keep the reason. */
function openingHoursMessage(raw: string): string {
  const reason = raw.split('<--- (')[1] ?? raw;
  const short = reason.split(' This means')[0].replace(/\s+/g, ' ').trim();
  return (short.length > 160 ? short.slice(0, 160) + '…' : short).replace(/\)$/, '');
}

function recordKey(r: AedRecord): string {
  return r.osmId !== null ? r.osmId : `${r.source}\u0000${r.externalRef}`;
}

/**
 * Parses a GeoJSON FeatureCollection of AED points.
 * Records with the same key (OSM id, or source and external ref): the last one wins and each
 * earlier index gets a warning. Unparseable `opening_hours` and non-date `check_date` are warnings.
 * @throws AedFileError (code INVALID_GEOJSON) when `json` is not a FeatureCollection with a `features` array.
 */
export function parseAedFeatureCollection(json: unknown, options: AedParseOptions): AedParseResult {
  const collection = json as { type?: unknown; features?: unknown } | null;
  if (typeof collection !== 'object' || collection === null || Array.isArray(collection) || collection.type !== 'FeatureCollection') {
    throw new AedFileError('INVALID_GEOJSON', 'The file is not a GeoJSON FeatureCollection (expected "type": "FeatureCollection")');
  }
  if (!Array.isArray(collection.features)) {
    throw new AedFileError('INVALID_GEOJSON', 'The FeatureCollection has no "features" array');
  }
  const rejected: RecordIssue[] = [];
  const warnings: RecordIssue[] = [];
  const byKey = new Map<string, { index: number; record: AedRecord }>();
  const hoursCache = new Map<string, string | null>();
  for (const [index, raw] of collection.features.entries()) {
    const record = parseFeature(raw, options.source);
    if (typeof record === 'string') {
      rejected.push({ index, reason: record });
      continue;
    }
    warnings.push(...recordWarnings(record, index, hoursCache));
    const key = recordKey(record);
    const earlier = byKey.get(key);
    if (earlier) {
      const name = record.osmId ?? `ref ${record.externalRef}`;
      warnings.push({ index: earlier.index, reason: `${name} appears again at index ${index}; the later record is imported` });
      byKey.delete(key);
    }
    byKey.set(key, { index, record });
  }
  warnings.sort((a, b) => a.index - b.index);
  return { records: [...byKey.values()].map((e) => e.record), rejected, warnings };
}

function recordWarnings(record: AedRecord, index: number, hoursCache: Map<string, string | null>): RecordIssue[] {
  const out: RecordIssue[] = [];
  if (record.openingHours !== null) {
    const problem = openingHoursProblem(record.openingHours, hoursCache);
    if (problem !== null) {
      out.push({ index, reason: `opening_hours "${record.openingHours}" is not valid opening_hours syntax: ${problem}; imported with unknown hours` });
    }
  }
  const checkDate = record.tags.check_date?.trim();
  if (checkDate && record.checkDate === null) {
    out.push({ index, reason: `check_date "${checkDate}" is not a date YYYY-MM-DD; kept in the tags only` });
  }
  return out;
}

/**
 * Parses the text of a GeoJSON file (a UTF-8 byte-order mark is allowed).
 * @throws AedFileError with code INVALID_JSON when the text is not JSON, INVALID_GEOJSON when it is
 *   not a FeatureCollection.
 */
export function parseAedGeoJsonText(text: string, options: AedParseOptions): AedParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new AedFileError('INVALID_JSON', `The file is not valid JSON: ${detail}`, { cause: err });
  }
  return parseAedFeatureCollection(json, options);
}
