import { describe, expect, it } from 'vitest';
import { parseAedFeatureCollection, parseAedGeoJsonText, type AedRecord } from '../../../api/import/aed-geojson.ts';

const options = { source: 'import' };

function point(properties: Record<string, unknown> | null, extra: Record<string, unknown> = {}, coordinates: unknown = [16.9335, 52.4064]) {
  return { type: 'Feature', geometry: { type: 'Point', coordinates }, properties, ...extra };
}

function parseOne(feature: unknown): AedRecord {
  const result = parseAedFeatureCollection({ type: 'FeatureCollection', features: [feature] }, options);
  expect(result.rejected).toEqual([]);
  expect(result.records).toHaveLength(1);
  return result.records[0];
}

function rejectionOf(feature: unknown): string {
  const result = parseAedFeatureCollection({ type: 'FeatureCollection', features: [point({ osm_id: 1 }), feature] }, options);
  expect(result.records).toHaveLength(1);
  expect(result.rejected).toHaveLength(1);
  expect(result.rejected[0].index).toBe(1);
  return result.rejected[0].reason;
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return undefined;
}

describe('parseAedFeatureCollection: OSM ids', () => {
  it('reads openaedmap\'s "@osm_type" and numeric "@osm_id"', () => {
    expect(parseOne(point({ '@osm_type': 'node', '@osm_id': 13020277819, '@osm_version': 1, emergency: 'defibrillator' })).osmId).toBe('node/13020277819');
  });

  it('reads a numeric osm_id as a node', () => {
    expect(parseOne(point({ osm_id: 477958354, emergency: 'defibrillator' })).osmId).toBe('node/477958354');
  });

  it('reads overpass-turbo\'s "@id" and feature id "node/123"', () => {
    expect(parseOne(point({ '@id': 'node/123', emergency: 'defibrillator' }, { id: 'node/123' })).osmId).toBe('node/123');
    expect(parseOne(point({ emergency: 'defibrillator' }, { id: 'node/456' })).osmId).toBe('node/456');
  });

  it('reads osmtogeojson\'s properties.id, flat or with nested tags', () => {
    expect(parseOne(point({ id: 'node/789', emergency: 'defibrillator' })).osmId).toBe('node/789');
    const nested = parseOne(point({ type: 'node', id: 790, tags: { emergency: 'defibrillator', indoor: 'yes' }, meta: { user: 'x' }, relations: [] }));
    expect(nested.osmId).toBe('node/790');
    expect(nested.tags).toEqual({ emergency: 'defibrillator', indoor: 'yes' });
  });

  it('keeps OSM records under source "osm" with no external ref, even when they carry a ref tag', () => {
    const r = parseOne(point({ osm_id: 5, ref: 'A-1' }));
    expect([r.source, r.externalRef, r.tags.ref]).toEqual(['osm', null, 'A-1']);
  });

  it('rejects a malformed OSM id with the reason', () => {
    expect(rejectionOf(point({ osm_id: 'abc' }))).toMatch(/osm_id/);
    expect(rejectionOf(point({ '@id': 'node/x' }))).toMatch(/@id/);
    expect(rejectionOf(point({ osm_id: -3 }))).toMatch(/osm_id/);
  });
});

describe('parseAedFeatureCollection: a registry file without OSM ids', () => {
  it('keys a record by its ref tag, under the given source', () => {
    const r = parseOne(point({ ref: 'PL-17', emergency: 'defibrillator' }, { id: 'f1' }));
    expect([r.osmId, r.externalRef, r.source]).toEqual([null, 'PL-17', 'import']);
  });

  it('keys a record without ref by its feature id, string or number', () => {
    expect(parseOne(point({ emergency: 'defibrillator' }, { id: 'cab-3' })).externalRef).toBe('cab-3');
    expect(parseOne(point({ emergency: 'defibrillator' }, { id: 42 })).externalRef).toBe('42');
  });

  it('rejects a record with nothing to key it by', () => {
    expect(rejectionOf(point({ emergency: 'defibrillator' }))).toMatch(/ref/);
  });

  it('keeps the last of two records with the same key and warns about the earlier one', () => {
    const result = parseAedFeatureCollection(
      { type: 'FeatureCollection', features: [point({ ref: 'A', level: '1' }), point({ osm_id: 9 }), point({ ref: 'A', level: '2' })] },
      options,
    );
    expect(result.records.map((r) => [r.externalRef ?? r.osmId, r.level])).toEqual([['node/9', null], ['A', '2']]);
    expect(result.warnings.map((w) => w.index)).toEqual([0]);
  });

  it('warns about a duplicated OSM id and imports the later record', () => {
    const result = parseAedFeatureCollection({ type: 'FeatureCollection', features: [point({ osm_id: 9, level: '0' }), point({ osm_id: 9, level: '1' })] }, options);
    expect(result.records.map((r) => r.level)).toEqual(['1']);
    expect(result.warnings).toEqual([{ index: 0, reason: expect.stringContaining('node/9') }]);
  });
});

describe('parseAedFeatureCollection: geometry', () => {
  it('takes lat and lng from [lng, lat]', () => {
    const r = parseOne(point({ osm_id: 1 }, {}, [16.9335, 52.4064, 80]));
    expect(r.lat).toBeCloseTo(52.4064, 10);
    expect(r.lng).toBeCloseTo(16.9335, 10);
  });

  it.each([
    ['a LineString', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: { osm_id: 2 } }, /Point/],
    ['no geometry', { type: 'Feature', geometry: null, properties: { osm_id: 2 } }, /Point/],
    ['a latitude out of range', point({ osm_id: 2 }, {}, [16, 95]), /latitude/],
    ['a longitude out of range', point({ osm_id: 2 }, {}, [181, 52]), /longitude/],
    ['NaN', point({ osm_id: 2 }, {}, [Number.NaN, 52]), /longitude/],
    ['a string coordinate', point({ osm_id: 2 }, {}, ['16', 52]), /longitude/],
    ['one coordinate', point({ osm_id: 2 }, {}, [16]), /latitude/],
    ['null island', point({ osm_id: 2 }, {}, [0, 0]), /null island/],
    ['not a Feature', { type: 'Point', coordinates: [1, 2] }, /Feature/],
    ['not an object', 'node/1', /object/],
  ])('rejects %s with its index and a reason', (_name, feature, reason) => {
    expect(rejectionOf(feature)).toMatch(reason);
  });
});

describe('parseAedFeatureCollection: tags', () => {
  it('keeps the tags verbatim, stringified, without contributor metadata', () => {
    const r = parseOne(
      point({ '@id': 'node/1', '@version': 3, user: 'mapper', uid: 7, changeset: 9, timestamp: '2024-01-01T00:00:00Z', version: 3, emergency: 'defibrillator', 'survey:date': '2024-05-01', ele: 81, covered: true }),
    );
    expect(r.tags).toEqual({ emergency: 'defibrillator', 'survey:date': '2024-05-01', ele: '81', covered: 'true' });
  });

  it('adds emergency=defibrillator when the tag is missing', () => {
    expect(parseOne(point({ osm_id: 1 })).tags.emergency).toBe('defibrillator');
  });

  it('rejects a feature tagged as some other emergency feature', () => {
    expect(rejectionOf(point({ osm_id: 2, emergency: 'fire_hydrant' }))).toMatch(/fire_hydrant/);
  });

  it('rejects an AED that OSM marks as disused or removed', () => {
    expect(rejectionOf(point({ osm_id: 2, 'disused:emergency': 'defibrillator' }))).toMatch(/disused:emergency/);
    expect(rejectionOf(point({ osm_id: 2, 'removed:emergency': 'defibrillator' }))).toMatch(/removed:emergency/);
  });

  it('derives the columns from OSM tags', () => {
    const r = parseOne(
      point({ osm_id: 1, access: 'customers', indoor: 'yes', level: '-1', opening_hours: 'Mo-Fr 08:00-16:00', operator: 'UAM', phone: '+48 61 829 4000', check_date: '2025-03-01', description: 'Biała szafka' }),
    );
    expect(r).toMatchObject({ access: 'customers', indoor: true, level: '-1', openingHours: 'Mo-Fr 08:00-16:00', operator: 'UAM', phone: '+48 61 829 4000', checkDate: '2025-03-01', description: 'Biała szafka' });
  });

  it('reads indoor=no as false and anything else as unknown', () => {
    expect(parseOne(point({ osm_id: 1, indoor: 'no' })).indoor).toBe(false);
    expect(parseOne(point({ osm_id: 1, indoor: 'partial' })).indoor).toBeNull();
  });

  it('keeps a check_date that is not YYYY-MM-DD in the tags only, with a warning', () => {
    const result = parseAedFeatureCollection({ type: 'FeatureCollection', features: [point({ osm_id: 1, check_date: '2023-02' }), point({ osm_id: 2, check_date: '2023-02-30' })] }, options);
    expect(result.records.map((r) => [r.checkDate, r.tags.check_date])).toEqual([[null, '2023-02'], [null, '2023-02-30']]);
    expect(result.warnings.map((w) => w.index)).toEqual([0, 1]);
  });

  it('reads the location from defibrillator:location, then aed:location, then the misspelt defribillator:location', () => {
    expect(parseOne(point({ osm_id: 1, 'defibrillator:location': 'A', 'aed:location': 'B', 'defribillator:location': 'C' })).location).toBe('A');
    expect(parseOne(point({ osm_id: 1, 'aed:location': 'B', 'defribillator:location': 'C' })).location).toBe('B');
    expect(parseOne(point({ osm_id: 1, 'defribillator:location': 'C' })).location).toBe('C');
  });

  it('collects every language variant of the location', () => {
    const r = parseOne(
      point({ osm_id: 1, 'defibrillator:location': 'Hol', 'defibrillator:location:en': 'Lobby', 'defibrillator:location:pl': 'Hol', 'defibrillator:location:zh-Hans': '大厅', 'aed:location:de': 'Halle', 'aed:location:en': 'old' }),
    );
    expect(r.locationTranslations).toEqual({ en: 'Lobby', pl: 'Hol', 'zh-Hans': '大厅', de: 'Halle' });
    expect([r.locationEn, r.locationZh]).toEqual(['Lobby', '大厅']);
    expect(parseOne(point({ osm_id: 1, 'defibrillator:location:zh': '一楼', 'defibrillator:location:zh-Hans': '大厅' })).locationZh).toBe('一楼');
  });

  it('reads the registry extensions status, pad_expiry, battery_expiry and demo', () => {
    const r = parseOne(point({ ref: 'X', status: 'out_of_service', pad_expiry: '2026-05-31', battery_expiry: '2028-01-01', demo: 'yes' }));
    expect(r).toMatchObject({ status: 'out_of_service', padExpiresOn: '2026-05-31', batteryExpiresOn: '2028-01-01', isDemo: true });
    expect(parseOne(point({ ref: 'Y' }))).toMatchObject({ status: 'in_service', padExpiresOn: null, isDemo: false });
  });

  it('rejects text PostgreSQL cannot store: a NUL character or half a surrogate pair', () => {
    expect(rejectionOf(point({ osm_id: 2, note: 'a\u0000b' }))).toMatch(/note/);
    expect(rejectionOf(point({ osm_id: 2, name: 'bad \ud800' }))).toMatch(/name/);
    expect(rejectionOf(point({ emergency: 'defibrillator' }, { id: 'x\u0000' }))).toMatch(/feature id/);
    expect(parseOne(point({ osm_id: 2, name: 'AED 🫀' })).tags.name).toBe('AED 🫀');
  });

  it('rejects an unknown status or an expiry that is not a date', () => {
    expect(rejectionOf(point({ ref: 'X', status: 'broken' }))).toMatch(/status/);
    expect(rejectionOf(point({ ref: 'X', pad_expiry: '05/2026' }))).toMatch(/pad_expiry/);
  });
});

describe('parseAedFeatureCollection: opening_hours', () => {
  it('imports an AED whose opening_hours do not parse and warns with its index', () => {
    const result = parseAedFeatureCollection(
      { type: 'FeatureCollection', features: [point({ osm_id: 1, opening_hours: '24/7' }), point({ osm_id: 2, opening_hours: 'Tylko dla pracowników' })] },
      options,
    );
    expect(result.records.map((r) => r.openingHours)).toEqual(['24/7', 'Tylko dla pracowników']);
    expect(result.warnings).toEqual([{ index: 1, reason: expect.stringContaining('opening_hours') }]);
  });

  it('accepts public-holiday rules without a country', () => {
    const result = parseAedFeatureCollection({ type: 'FeatureCollection', features: [point({ osm_id: 1, opening_hours: 'Mo-Fr 08:00-16:00; PH off' })] }, options);
    expect(result.warnings).toEqual([]);
  });
});

describe('parseAedGeoJsonText: a malformed file', () => {
  it.each([
    ['truncated JSON', '{"type":"FeatureCollection","features":[', 'INVALID_JSON'],
    ['not JSON at all', 'name,lat,lng', 'INVALID_JSON'],
    ['a single Feature', JSON.stringify(point({ osm_id: 1 })), 'INVALID_GEOJSON'],
    ['a collection without features', '{"type":"FeatureCollection"}', 'INVALID_GEOJSON'],
    ['an array', '[]', 'INVALID_GEOJSON'],
    ['null', 'null', 'INVALID_GEOJSON'],
  ])('throws for %s', (_name, text, code) => {
    expect(codeOf(() => parseAedGeoJsonText(text, options))).toBe(code);
  });

  it('accepts a byte-order mark and an empty collection', () => {
    expect(parseAedGeoJsonText('\uFEFF{"type":"FeatureCollection","features":[]}', options)).toEqual({ records: [], rejected: [], warnings: [] });
  });
});
