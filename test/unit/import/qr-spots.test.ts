import { describe, expect, it } from 'vitest';
import type { OsmBuilding, OsmCampus } from '../../../api/import/osm-campus';
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
    expect(spots.map((s) => [s.buildingName, s.entrance, s.floor, s.source, s.entranceOsmId])).toEqual([
      ['Alpha & Omega Hall', 'Main entrance A', '0', 'osm-entrance', 'node/2'],
      ['Beta Center', 'Entrance (north-west side)', '1', 'osm-entrance', 'node/13'],
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
    expect(spot.floor).toBe('0');
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
