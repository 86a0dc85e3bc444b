/** Where the various OSM exports put an element's id. Pure. */

const OSM_TYPES = new Set(['node', 'way', 'relation']);
const OSM_REF = /^(node|way|relation)\/([1-9]\d*)$/;

/** The OSM id of a feature, or why its id is malformed; `idWasOsm` when `properties.id` held it. */
export type Identity = { osmId: string | null; idWasOsm: boolean } | { error: string };

function osmNumber(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value)) return value;
  return undefined;
}

function typedOsmId(typeValue: unknown, idValue: unknown, key: string): Identity {
  const type = typeValue ?? 'node';
  if (typeof idValue === 'string' && OSM_REF.test(idValue)) return { osmId: idValue, idWasOsm: false };
  const n = osmNumber(idValue);
  if (n === undefined || typeof type !== 'string' || !OSM_TYPES.has(type)) {
    return { error: `${key} ${JSON.stringify(idValue)} is not an OSM id (a positive number or "node/123")` };
  }
  return { osmId: `${type}/${n}`, idWasOsm: false };
}

/**
 * The OSM id (`node/123`) in any of the export shapes: overpass-turbo `@id`, openaedmap
 * `@osm_type`/`@osm_id`, plain `osm_id`, osmtogeojson `type`+`id` (nested tags) or `id`, and a
 * feature id "node/123". A malformed dedicated id key is an error, not a missing id.
 */
export function identityOf(featureId: unknown, props: Record<string, unknown>, nested: boolean): Identity {
  if (props['@id'] !== undefined) {
    const v = props['@id'];
    return typeof v === 'string' && OSM_REF.test(v) ? { osmId: v, idWasOsm: false } : { error: `@id ${JSON.stringify(v)} is not an OSM id like "node/123"` };
  }
  if (props['@osm_id'] !== undefined) return typedOsmId(props['@osm_type'], props['@osm_id'], '@osm_id');
  if (props.osm_id !== undefined) return typedOsmId(props.osm_type, props.osm_id, 'osm_id');
  if (nested && typeof props.type === 'string' && OSM_TYPES.has(props.type) && osmNumber(props.id)) {
    return { osmId: `${props.type}/${osmNumber(props.id)}`, idWasOsm: true };
  }
  if (typeof props.id === 'string' && OSM_REF.test(props.id)) return { osmId: props.id, idWasOsm: true };
  if (typeof featureId === 'string' && OSM_REF.test(featureId)) return { osmId: featureId, idWasOsm: false };
  return { osmId: null, idWasOsm: false };
}
