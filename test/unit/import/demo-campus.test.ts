import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPUS_DIR, loadCampusGeoData, type CampusGeoData } from '../../../api/import/geo-data';
import type { OsmWalkway } from '../../../api/import/osm-campus';
import { createLocalProjection, projectOntoSegment, type LatLng } from '../../../api/import/planar-geometry';

/** Union-find over walkway node ids: ways join where they share a node. */
function findComponents(walkways: readonly OsmWalkway[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const way of walkways) for (const id of way.nodeIds) if (!parent.has(id)) parent.set(id, id);
  for (const way of walkways) {
    for (let i = 1; i < way.nodeIds.length; i++) parent.set(find(way.nodeIds[i - 1]), find(way.nodeIds[i]));
  }
  return new Map([...parent.keys()].map((id) => [id, find(id)]));
}

function distanceToWalkwaysM(point: LatLng, walkways: readonly OsmWalkway[]): number {
  const projection = createLocalProjection(point);
  const p = projection.toPlane(point);
  let best = Infinity;
  for (const way of walkways) {
    const pts = way.coords.map(projection.toPlane);
    for (let i = 1; i < pts.length; i++) best = Math.min(best, projectOntoSegment(p, pts[i - 1], pts[i]).distanceM);
  }
  return best;
}

describe('the committed demo campus (geo-data/northwestern-evanston)', () => {
  let data: CampusGeoData;
  beforeAll(async () => {
    data = await loadCampusGeoData(DEMO_CAMPUS_DIR);
  });

  it('describes Northwestern with the OSM attribution', () => {
    expect(data.campus).toMatchObject({
      slug: 'northwestern-evanston',
      timezone: 'America/Chicago',
      attribution: '© OpenStreetMap contributors, ODbL 1.0',
      source: 'northwestern_evanston_campus.osm',
    });
    expect(data.campus.center.lat).toBeCloseTo(42.0561, 4);
  });

  it('holds the known numbers of buildings, walkways, steps and QR spots', () => {
    expect(data.buildings).toHaveLength(160);
    expect(data.walkways).toHaveLength(1073);
    expect(data.walkways.filter((w) => w.steps)).toHaveLength(44);
    expect(data.qrSpots).toHaveLength(173);
    expect(data.qrSpots.filter((s) => s.source === 'osm-entrance')).toHaveLength(37);
  });

  it('knows the main library, Deering Library and Norris by name', () => {
    const byName = (name: string) => data.buildings.find((b) => b.name === name);
    expect(byName('Northwestern University Library')?.osmId).toBe('way/175187764');
    expect(byName('Deering Library')?.levels).toBe(3);
    const norris = byName('Norris University Center')!;
    expect(norris.centroid.lat).toBeCloseTo(42.0534, 3);
    expect(norris.centroid.lng).toBeCloseTo(-87.6727, 3);
    const libraryEntrances = data.qrSpots.filter((s) => s.buildingOsmId === 'way/175187764');
    expect(libraryEntrances.map((s) => s.source)).toEqual(['osm-entrance', 'osm-entrance', 'osm-entrance']);
  });

  it('gives every building at least one QR spot, with unique 8-character codes', () => {
    const withSpot = new Set(data.qrSpots.map((s) => s.buildingOsmId));
    expect(data.buildings.filter((b) => !withSpot.has(b.osmId))).toEqual([]);
    expect(new Set(data.qrSpots.map((s) => s.code)).size).toBe(data.qrSpots.length);
    data.qrSpots.forEach((s) => expect(s.code).toMatch(/^[a-z2-9]{8}$/));
  });

  it('has one connected walking network holding at least 90 % of the walkway nodes', () => {
    const components = findComponents(data.walkways);
    const sizes = new Map<string, number>();
    for (const root of components.values()) sizes.set(root, (sizes.get(root) ?? 0) + 1);
    const largest = Math.max(...sizes.values());
    // 3,793 of 3,966 nodes (95.6 %) at derivation time.
    expect(largest / components.size).toBeGreaterThanOrEqual(0.9);
  });

  it('puts every QR spot within 60 m of the largest walking component', () => {
    const components = findComponents(data.walkways);
    const sizes = new Map<string, number>();
    for (const root of components.values()) sizes.set(root, (sizes.get(root) ?? 0) + 1);
    const largestRoot = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const network = data.walkways.filter((w) => components.get(w.nodeIds[0]) === largestRoot);
    const tooFar = data.qrSpots
      .map((spot) => ({ code: spot.code, building: spot.buildingName, distanceM: distanceToWalkwaysM(spot, network) }))
      .filter((s) => s.distanceM > 60);
    expect(tooFar).toEqual([]);
  });

  it('marks every AED as a demonstration device, with exactly one out of service', () => {
    expect(data.aeds).toHaveLength(12);
    for (const aed of data.aeds) {
      expect(aed.properties).toMatchObject({ emergency: 'defibrillator', demo: 'yes', note: 'Demonstration device: not a real AED' });
      expect(aed.properties.ref).toMatch(/^NU-DEMO-\d{2}$/);
      expect(aed.properties['defibrillator:location']).toBeTruthy();
      expect(aed.properties['defibrillator:location:en']).toBeTruthy();
    }
    expect(data.aeds.filter((a) => a.properties.status === 'out_of_service')).toHaveLength(1);
    expect(new Set(data.aeds.map((a) => a.properties.level))).toEqual(new Set(['0', '1', '2', '3']));
    expect(new Set(data.aeds.map((a) => a.properties.ref)).size).toBe(12);
  });

  it('gives one AED pads or battery expiring in 2026 and the rest later', () => {
    const soon = data.aeds.filter((a) => [a.properties.pad_expiry, a.properties.battery_expiry].some((d) => d.startsWith('2026-')));
    expect(soon).toHaveLength(1);
    for (const aed of data.aeds) expect(aed.properties.pad_expiry).toMatch(/^20(2[6-8])-\d{2}-\d{2}$/);
  });
});
