import { describe, expect, it } from 'vitest';
import type { OsmBuilding, OsmCampus, OsmEntrance } from '../../../api/import/osm-campus';
import { computePolygonCentroid, type LatLng } from '../../../api/import/planar-geometry';
import { deriveQrSpots, describeSide } from '../../../api/import/qr-spots';
import { parseOsmCampus } from '../../../api/import/osm-campus';
import { buildFixtureXml } from './osm-fixture';

function square(osmId: OsmBuilding['osmId'], name: string, south: number, west: number, sizeDeg: number): OsmBuilding {
  const ring: LatLng[] = [
    { lat: south, lng: west },
    { lat: south, lng: west + sizeDeg },
    { lat: south + sizeDeg, lng: west + sizeDeg },
    { lat: south + sizeDeg, lng: west },
    { lat: south, lng: west },
  ];
  return { osmId, name, polygon: [ring], polygons: [[ring]], centroid: computePolygonCentroid([ring]) };
}

describe('deriveQrSpots', () => {
  it('puts a spot at each mapped entrance, labelled by kind and side', () => {
    const spots = deriveQrSpots(parseOsmCampus(buildFixtureXml()));
    expect(spots.map((s) => [s.buildingName, s.entrance, s.entranceZh, s.floor, s.source, s.entranceOsmId])).toEqual([
      ['Alpha & Omega Hall', 'Main entrance A', '正门 A', '0', 'osm-entrance', 'node/2'],
      ['Beta Center', 'Entrance (north-west side)', '入口（西北侧）', '1', 'osm-entrance', 'node/13'],
    ]);
  });

  it('puts the spot of a building without entrances at the outline point nearest a walkway', () => {
    const building = square('way/1', 'East Hall', 42.05, -87.676, 0.0003);
    const campus: OsmCampus = {
      bounds: { minLat: 42.04, minLng: -87.68, maxLat: 42.06, maxLng: -87.67 },
      buildings: [building],
      // A path running up from the south-east; its northern end is level with a point of the east wall.
      walkways: [{
        osmId: 'way/9',
        highway: 'footway',
        steps: false,
        coords: [{ lat: 42.0495, lng: -87.6745 }, { lat: 42.05012, lng: -87.675 }],
        nodeIds: ['90', '91'],
      }],
      entrances: [],
    };
    const [spot] = deriveQrSpots(campus);
    expect(spot.source).toBe('nearest-walkway');
    expect(spot.lat).toBeCloseTo(42.05012, 6);
    expect(spot.lng).toBeCloseTo(-87.6757, 6);
    expect(spot.entrance).toBe('Entrance (east side)');
    expect(spot.entranceZh).toBe('入口（东侧）');
    expect(spot.floor).toBe('0');
  });

  it('labels every spot in Chinese too: kinds, refs, OSM name:zh, and numbers for look-alikes', () => {
    const building = square('way/1', 'East Hall', 42.05, -87.676, 0.001);
    const at = (osmId: `node/${string}`, lat: number, lng: number, tags: Partial<OsmEntrance> = {}): OsmEntrance => ({ osmId, kind: 'yes', lat, lng, buildingOsmId: 'way/1', ...tags });
    const campus: OsmCampus = {
      bounds: { minLat: 42.04, minLng: -87.68, maxLat: 42.06, maxLng: -87.67 },
      buildings: [building],
      walkways: [],
      entrances: [
        at('node/1', 42.0505, -87.675, { kind: 'service', ref: '2' }), // east wall
        at('node/2', 42.0505, -87.676, { name: 'Library Door', nameZh: '图书馆门' }), // west wall
        at('node/3', 42.051, -87.6755, { name: 'Side Door' }), // north wall, no Chinese name in OSM
        at('node/4', 42.05, -87.6757), // south wall, twice
        at('node/5', 42.05, -87.6753),
        at('node/6', 42.0502, -87.676, { kind: 'emergency' }), // west wall, south end
      ],
    };
    expect(deriveQrSpots(campus).map((s) => [s.entrance, s.entranceZh])).toEqual([
      ['Service entrance 2 (east side)', '后勤入口 2（东侧）'],
      ['Library Door (west side)', '图书馆门（西侧）'],
      ['Side Door (north side)', 'Side Door（北侧）'],
      ['Entrance (south side) 1/2', '入口（南侧） 1/2'],
      ['Entrance (south side) 2/2', '入口（南侧） 2/2'],
      ['Emergency exit (south-west side)', '紧急出口（西南侧）'],
    ]);
  });

  it("reads an entrance's Chinese name from OSM name:zh", () => {
    const xml = buildFixtureXml().replace(/(<node id="13"[^>]*>)/, '$1<tag k="name" v="Garden Door"/><tag k="name:zh" v="花园门"/>');
    const spot = deriveQrSpots(parseOsmCampus(xml)).find((s) => s.entranceOsmId === 'node/13')!;
    expect([spot.entrance, spot.entranceZh]).toEqual(['Garden Door (north-west side)', '花园门（西北侧）']);
  });

  it('derives the same 8-character codes every time and different codes for different spots', () => {
    const first = deriveQrSpots(parseOsmCampus(buildFixtureXml()));
    const second = deriveQrSpots(parseOsmCampus(buildFixtureXml()));
    expect(second.map((s) => s.code)).toEqual(first.map((s) => s.code));
    expect(new Set(first.map((s) => s.code)).size).toBe(first.length);
    first.forEach((s) => expect(s.code).toMatch(/^[a-hjkmnp-z2-9]{8}$/));
  });

  it('changes every code when the salt changes', () => {
    const campus = parseOsmCampus(buildFixtureXml());
    const plain = deriveQrSpots(campus).map((s) => s.code);
    const salted = deriveQrSpots(campus, { salt: 'deployment secret' }).map((s) => s.code);
    plain.forEach((code, i) => expect(salted[i]).not.toBe(code));
  });
});

describe('describeSide', () => {
  it('names the compass side from the centroid', () => {
    const centre = { lat: 42.05, lng: -87.675 };
    expect(describeSide(centre, { lat: 42.051, lng: -87.675 })).toBe('north');
    expect(describeSide(centre, { lat: 42.049, lng: -87.6737 })).toBe('south-east');
    expect(describeSide(centre, { lat: 42.05, lng: -87.676 })).toBe('west');
  });
});
