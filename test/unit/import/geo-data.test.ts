import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CAMPUS_DIR, GeoDataError, loadCampusGeoData } from '../../../api/import/geo-data';

describe('loadCampusGeoData', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campus-geo-'));
    await cp(DEMO_CAMPUS_DIR, dir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rewrite(file: string, edit: (text: string) => string): Promise<void> {
    await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  }

  it('reads walkways back as {lat,lng} coordinates with parallel node ids', async () => {
    const data = await loadCampusGeoData(dir);
    const way = data.walkways[0];
    expect(way.coords[0]).toEqual({ lat: expect.any(Number), lng: expect.any(Number) });
    expect(way.coords[0].lat).toBeGreaterThan(42);
    expect(way.nodeIds).toHaveLength(way.coords.length);
  });

  it('rejects a walkway whose node ids are not parallel to its coordinates', async () => {
    await rewrite('walkways.geojson', (text) => text.replace(/"nodeIds":\["\d+",/, '"nodeIds":['));
    await expect(loadCampusGeoData(dir)).rejects.toMatchObject({ code: 'GEO_DATA_INVALID' });
  });

  it('rejects an AED point without emergency=defibrillator', async () => {
    await rewrite('aeds.geojson', (text) => text.replace('"emergency":"defibrillator"', '"emergency":"phone"'));
    await expect(loadCampusGeoData(dir)).rejects.toBeInstanceOf(GeoDataError);
  });

  it('rejects a QR spot that names a building not in buildings.geojson', async () => {
    await rewrite('qr-spots.geojson', (text) => text.replace(/"buildingOsmId":"way\/\d+"/, '"buildingOsmId":"way/1"'));
    await expect(loadCampusGeoData(dir)).rejects.toMatchObject({ code: 'GEO_DATA_INVALID' });
  });

  it('rejects a file that is not JSON', async () => {
    await writeFile(join(dir, 'campus.json'), '{ not json');
    await expect(loadCampusGeoData(dir)).rejects.toMatchObject({ code: 'GEO_DATA_INVALID' });
  });
});
