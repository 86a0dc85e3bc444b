import { readFileSync } from 'node:fs';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAedRepository, type AedRepository } from '../../../api/db/aed-repository.ts';
import { cellOf } from '../../../api/db/h3-column.ts';
import { aeds } from '../../../api/db/schema/index.ts';
import { aedsToFeatureCollection } from '../../../api/import/aed-export.ts';
import { parseAedFeatureCollection, parseAedGeoJsonText, type AedRecord } from '../../../api/import/aed-geojson.ts';
import { importAeds } from '../../../api/services/aed-import.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const poland2025 = fixture('aed_poland_osm_2025-07-25.geojson');
const poland2022 = fixture('aed_poland_osm_2022-01-05.geojson');

async function errorCodeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return undefined;
}

describe.each(testDrivers)('importing AEDs on %s', (driver) => {
  let database: TestDatabase;
  let repo: AedRepository;
  beforeAll(async () => {
    database = await openTestDb(driver);
    repo = createAedRepository(database.db);
  });
  afterAll(() => database.close());
  beforeEach(() => database.reset());

  const snapshot = () => database.db.select().from(aeds).orderBy(asc(aeds.osmId), asc(aeds.externalRef));
  const byOsmId = async (osmId: string) => (await database.db.select().from(aeds).where(eq(aeds.osmId, osmId)))[0];

  it('imports all 11,466 AEDs of Poland 2025 and accounts for every record', async () => {
    const result = await importAeds(repo, poland2025);
    expect(result.imported + result.rejected.length).toBe(11_466);
    expect(result.rejected).toEqual([]);
    expect([result.updated, result.unchanged]).toEqual([0, 0]);
    expect(await repo.countAll()).toBe(11_466);
    const kinds = result.warnings.map((w) => w.reason.split(' ')[0]);
    expect(kinds.filter((k) => k === 'opening_hours')).toHaveLength(52);
    expect(kinds.filter((k) => k === 'check_date')).toHaveLength(11);
  });

  it('keeps every tag and derives the columns of known AEDs', async () => {
    await importAeds(repo, poland2025);
    const cableway = await byOsmId('node/10189200772');
    expect(cableway).toMatchObject({
      source: 'osm',
      lat: 49.2985176,
      lng: 19.9454783,
      h3Cell: cellOf({ lat: 49.2985176, lng: 19.9454783 }),
      access: 'customers',
      indoor: true,
      level: '0',
      operator: 'Polskie Koleje Linowe S.A.',
      phone: '+48 18 20 20 300',
      checkDate: '2023-02-17',
      openingHours: 'Dostępne w godzinach pracy kolei linowej.',
      location: null,
      locationEn: 'In the building of the lower station of the cableway to Gubałówka, next to the passenger check-in desk.',
      status: 'in_service',
    });
    expect(cableway.locationTranslations).toEqual({
      en: 'In the building of the lower station of the cableway to Gubałówka, next to the passenger check-in desk.',
      pl: 'W budynku stacji dolnej kolejki na Gubałówkę, obok stanowiska odprawy pasażerów.',
    });
    expect(Object.keys(cableway.tags).sort()).toEqual(
      ['access', 'check_date', 'defibrillator:location:en', 'defibrillator:location:pl', 'description:en', 'description:pl', 'emergency', 'indoor', 'level', 'opening_hours', 'operator', 'phone', 'source'],
    );
    const wall = await byOsmId('node/8440625450');
    expect([wall.checkDate, wall.tags.check_date, wall.tags.support, wall.location]).toEqual([null, '2023-02', 'wall_mounted', 'Na ścianie budynku']);
  });

  it('changes nothing when the same file is imported again', async () => {
    await importAeds(repo, poland2025);
    const before = await snapshot();
    const again = await importAeds(repo, poland2025);
    expect([again.imported, again.updated, again.unchanged, again.rejected.length]).toEqual([0, 0, 11_466, 0]);
    expect(await snapshot()).toEqual(before);
  });

  it('writes nothing from a malformed file', async () => {
    const truncated = poland2025.slice(0, poland2025.length / 2);
    expect(await errorCodeOf(importAeds(repo, truncated))).toBe('INVALID_JSON');
    expect(await errorCodeOf(importAeds(repo, '{"type":"Feature","features":[]}'))).toBe('INVALID_GEOJSON');
    expect(await repo.countAll()).toBe(0);
  });

  it('writes nothing when the database refuses a record in the last batch', async () => {
    const { records } = parseAedGeoJsonText(poland2025, { source: 'import' });
    const broken: AedRecord[] = [...records.slice(0, -1), { ...records[records.length - 1], checkDate: '2023-02-30' }];
    await expect(repo.upsertMany(broken)).rejects.toThrow();
    expect(await repo.countAll()).toBe(0);
  });

  it('updates the 551 AEDs that the 2022 snapshot shares with 2025 and adds its 24 others', async () => {
    await importAeds(repo, poland2025);
    const result = await importAeds(repo, poland2022);
    expect(result.imported).toBe(24);
    expect(result.updated + result.unchanged).toBe(551);
    expect(result.updated).toBeGreaterThan(0);
    expect(await repo.countAll()).toBe(11_490);
    const decathlon = await byOsmId('node/5628200513');
    expect([decathlon.location, decathlon.operator, decathlon.level]).toEqual(['w przedsionku Decathlonu', null, null]);
    expect(decathlon.updatedAt.getTime()).toBeGreaterThanOrEqual(decathlon.createdAt.getTime());
  });

  it('exports a registry that re-imports to the same OSM ids and tags, changing nothing', async () => {
    await importAeds(repo, poland2025);
    const stored = await repo.listAll();
    const exported = JSON.stringify(aedsToFeatureCollection(stored));
    const parsed = parseAedGeoJsonText(exported, { source: 'import' });
    expect(parsed.rejected).toEqual([]);
    const tagsById = (list: { osmId: string | null; tags: Record<string, string> }[]) => new Map(list.map((a) => [a.osmId, a.tags]));
    expect(tagsById(parsed.records)).toEqual(tagsById(stored));
    const again = await importAeds(repo, exported);
    expect([again.imported, again.updated, again.unchanged]).toEqual([0, 0, 11_466]);
  });

  it('keeps an admin-set status and expiry unless a file states them', async () => {
    await importAeds(repo, poland2022);
    await database.db.update(aeds).set({ status: 'out_of_service', padExpiresOn: '2026-01-31' }).where(eq(aeds.osmId, 'node/2468218271'));
    expect((await importAeds(repo, poland2022)).updated).toBe(0);
    expect(await byOsmId('node/2468218271')).toMatchObject({ status: 'out_of_service', padExpiresOn: '2026-01-31' });
    const stated = { type: 'Feature', geometry: { type: 'Point', coordinates: [19.9610598, 50.0620236] }, properties: { osm_id: 2468218271, status: 'in_service' } };
    const result = await importAeds(repo, { type: 'FeatureCollection', features: [stated] });
    expect(result.updated).toBe(1);
    expect(await byOsmId('node/2468218271')).toMatchObject({ status: 'in_service', padExpiresOn: '2026-01-31' });
  });

  it('keys a registry file without OSM ids by source and ref, so a second import updates it', async () => {
    const registry = (level: string) => ({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [116.3105, 39.9929] }, properties: { ref: 'PKU-1', level, 'defibrillator:location:zh': '一楼大厅' } },
        { type: 'Feature', id: 'PKU-2', geometry: { type: 'Point', coordinates: [116.3112, 39.9935] }, properties: { emergency: 'defibrillator' } },
      ],
    });
    expect(await importAeds(repo, registry('0'), { source: 'pku' })).toMatchObject({ imported: 2, updated: 0 });
    expect(await importAeds(repo, registry('0'), { source: 'pku' })).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
    expect(await importAeds(repo, registry('1'), { source: 'pku' })).toMatchObject({ imported: 0, updated: 1, unchanged: 1 });
    expect(await importAeds(repo, registry('1'), { source: 'other' })).toMatchObject({ imported: 2 });
    const rows = (await repo.listAll()).filter((a) => a.source === 'pku');
    expect(rows.map((a) => [a.externalRef, a.level, a.locationZh])).toEqual([['PKU-1', '1', '一楼大厅'], ['PKU-2', null, null]]);
  });

  it('finds AEDs by H3 cell and by id', async () => {
    const { records } = parseAedFeatureCollection(JSON.parse(poland2022), { source: 'import' });
    await repo.upsertMany(records);
    const decathlon = (await repo.listAll()).find((a) => a.osmId === 'node/5628200513')!;
    const found = await repo.findInCells([cellOf(decathlon)]);
    expect(found.map((a) => a.id)).toContain(decathlon.id);
    expect(found.every((a) => a.h3Cell === decathlon.h3Cell)).toBe(true);
    expect(await repo.findInCells([])).toEqual([]);
    expect((await repo.findById(decathlon.id))?.osmId).toBe('node/5628200513');
  });
});
