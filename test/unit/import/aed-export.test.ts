import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aedsToFeatureCollection, aedToFeature } from '../../../api/import/aed-export.ts';
import { parseAedFeatureCollection, type AedRecord } from '../../../api/import/aed-geojson.ts';
import { AED_STATUSES, columnsFromTags, writeColumnsToTags, type AedColumns } from '../../../api/import/aed-tags.ts';

function parse(features: unknown[], source = 'import') {
  return parseAedFeatureCollection({ type: 'FeatureCollection', features }, { source });
}

const osmFeature = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [16.9335123, 52.4064987] },
  properties: {
    '@osm_type': 'node',
    '@osm_id': 123,
    '@osm_version': 4,
    emergency: 'defibrillator',
    indoor: 'yes',
    'aed:location': 'Hall',
    'defibrillator:location:en': 'Lobby',
    check_date: '2023-02',
    opening_hours: '24/7',
  },
};

describe('aedToFeature', () => {
  it('writes OSM tags, @id and the [lng, lat] position of an OSM AED', () => {
    const [record] = parse([osmFeature]).records;
    const feature = aedToFeature(record);
    expect(feature.id).toBe('node/123');
    expect(feature.geometry.coordinates).toEqual([16.9335123, 52.4064987]);
    expect(feature.properties).toEqual({
      '@id': 'node/123',
      emergency: 'defibrillator',
      indoor: 'yes',
      'aed:location': 'Hall',
      'defibrillator:location:en': 'Lobby',
      check_date: '2023-02',
      opening_hours: '24/7',
    });
  });

  it('writes an edited column back over the imported tag', () => {
    const [record] = parse([osmFeature]).records;
    const edited: AedRecord = { ...record, location: 'Reception', indoor: false, status: 'out_of_service', padExpiresOn: '2026-01-31', openingHours: null };
    const props = aedToFeature(edited).properties;
    expect(props).toMatchObject({ 'defibrillator:location': 'Reception', indoor: 'no', status: 'out_of_service', pad_expiry: '2026-01-31' });
    expect(props.opening_hours).toBeUndefined();
  });

  it('puts a registry AED\'s key in the feature id', () => {
    const [byRef, byId] = parse([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { ref: 'R-1' } },
      { type: 'Feature', id: 'cab-9', geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} },
    ]).records;
    expect([aedToFeature(byRef).id, aedToFeature(byRef).properties.ref]).toEqual(['R-1', 'R-1']);
    expect([aedToFeature(byId).id, aedToFeature(byId).properties.ref]).toEqual(['cab-9', undefined]);
  });
});

describe('aedsToFeatureCollection', () => {
  it('re-imports to the same records', () => {
    const original = parse([
      osmFeature,
      { type: 'Feature', id: 'cab-9', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { level: '2', demo: 'yes', status: 'retired' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [3, 4] }, properties: { ref: 'R-1', battery_expiry: '2027-12-31' } },
    ]).records;
    const again = parse(JSON.parse(JSON.stringify(aedsToFeatureCollection(original))).features);
    expect(again.rejected).toEqual([]);
    expect(again.records).toEqual(original);
  });

  it('credits OpenStreetMap when any AED comes from it', () => {
    const [osm, registry] = parse([osmFeature, { type: 'Feature', id: 'x', geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} }]).records;
    expect(aedsToFeatureCollection([osm, registry]).attribution).toMatch(/OpenStreetMap/);
    expect(aedsToFeatureCollection([registry]).attribution).toBeUndefined();
  });
});

describe('writeColumnsToTags', () => {
  // Trimmed and non-empty, as columns are read from tags.
  const word = fc.stringMatching(/^[A-Za-z0-9ąę]([A-Za-z0-9ąę ]{0,8}[A-Za-z0-9])?$/);
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const isoDate = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const columns: fc.Arbitrary<AedColumns> = fc
    .record({
      access: maybe(word),
      indoor: maybe(fc.boolean()),
      level: maybe(word),
      openingHours: maybe(word),
      location: maybe(word),
      translations: fc.dictionary(fc.constantFrom('en', 'pl', 'de', 'zh', 'zh-Hans'), word),
      operator: maybe(word),
      phone: maybe(word),
      checkDate: maybe(isoDate),
      description: maybe(word),
      status: fc.constantFrom(...AED_STATUSES),
      padExpiresOn: maybe(isoDate),
      batteryExpiresOn: maybe(isoDate),
      isDemo: fc.boolean(),
    })
    .map(({ translations, ...c }) => ({
      ...c,
      locationTranslations: translations,
      locationZh: translations.zh ?? translations['zh-Hans'] ?? null,
      locationEn: translations.en ?? null,
    }));
  const tags = fc.dictionary(
    fc.constantFrom('access', 'indoor', 'level', 'aed:location', 'defribillator:location', 'defibrillator:location:en', 'aed:location:pl', 'contact:phone', 'check_date', 'status', 'demo', 'name'),
    fc.constantFrom('yes', 'no', '2023-02', '2024-05-06', 'retired', 'x'),
  );

  it('gives back the columns when the tags are read again, whatever the tags were', () => {
    fc.assert(
      fc.property(tags, columns, (t, c) => {
        expect(columnsFromTags(writeColumnsToTags(t, c))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves tags alone when the columns are what the tags say', () => {
    fc.assert(
      fc.property(tags, (t) => {
        expect(writeColumnsToTags(t, columnsFromTags(t))).toEqual(t);
      }),
    );
  });
});
