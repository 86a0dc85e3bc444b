import { describe, expect, it } from 'vitest';
import { OsmParseError, parseOsmCampus } from '../../../api/import/osm-campus';
import { createLocalProjection, signedRingAreaM2 } from '../../../api/import/planar-geometry';
import { buildFixtureXml } from './osm-fixture';

describe('parseOsmCampus', () => {
  const campus = parseOsmCampus(buildFixtureXml());

  it('keeps named buildings from ways and multipolygon relations only', () => {
    expect(campus.buildings.map((b) => [b.osmId, b.name])).toEqual([
      ['way/100', 'Alpha & Omega Hall'],
      ['relation/200', 'Beta Center'],
    ]);
    const alpha = campus.buildings[0];
    expect(alpha.nameZh).toBe('阿尔法楼');
    expect(alpha.levels).toBe(3);
    expect(alpha.centroid.lat).toBeCloseTo(42.0501, 6);
    expect(alpha.centroid.lng).toBeCloseTo(-87.67585, 6);
  });

  it('assembles a multipolygon from split outer ways with its hole, rings closed and oriented', () => {
    const beta = campus.buildings[1];
    expect(beta.polygons).toHaveLength(1);
    expect(beta.polygon).toHaveLength(2);
    const projection = createLocalProjection(beta.centroid);
    const [outer, hole] = beta.polygon;
    expect(outer[0]).toEqual(outer[outer.length - 1]);
    expect(outer).toHaveLength(5);
    expect(signedRingAreaM2(outer.map(projection.toPlane))).toBeGreaterThan(0);
    expect(signedRingAreaM2(hole.map(projection.toPlane))).toBeLessThan(0);
    expect(beta.centroid.lat).toBeCloseTo(42.0515, 6);
  });

  it('keeps walkable ways and drops fences, foot=no, private access and motorways', () => {
    expect(campus.walkways.map((w) => w.osmId)).toEqual(['way/300', 'way/301', 'way/302', 'way/403']);
    expect(campus.walkways.filter((w) => w.steps).map((w) => w.osmId)).toEqual(['way/302']);
    expect(campus.walkways[0]).toMatchObject({ highway: 'footway', name: 'Sheridan Walk', steps: false });
  });

  it('gives a shared node the same id and the exact same coordinates in every way', () => {
    const [first, second] = campus.walkways;
    expect(first.nodeIds).toEqual(['20', '21', '22']);
    expect(second.nodeIds[0]).toBe('22');
    expect(second.coords[0]).toEqual(first.coords[2]);
    expect(second.coords[0]).toEqual({ lat: 42.0499, lng: -87.6755 });
    campus.walkways.forEach((w) => expect(w.nodeIds).toHaveLength(w.coords.length));
  });

  it('assigns entrances to the building that has them as a vertex or contains them', () => {
    expect(campus.entrances).toEqual([
      { osmId: 'node/2', kind: 'main', lat: 42.05, lng: -87.6757, ref: 'A', buildingOsmId: 'way/100' },
      { osmId: 'node/13', kind: 'yes', lat: 42.0518, lng: -87.6758, level: '1', buildingOsmId: 'relation/200' },
    ]);
  });

  it('takes the bounds from the <bounds> element', () => {
    expect(campus.bounds).toEqual({ minLat: 42.049, minLng: -87.678, maxLat: 42.054, maxLng: -87.674 });
  });

  it('strips contributor metadata from the output', () => {
    const json = JSON.stringify(campus);
    for (const leaked of ['Secret Mapper', '424242', '987654', '2020-01-02', '"user"', '"uid"', '"changeset"', '"timestamp"', '"version"']) {
      expect(json).not.toContain(leaked);
    }
  });

  it('computes the bounds from the nodes when the file has no <bounds>', () => {
    const withoutBounds = parseOsmCampus(buildFixtureXml().replace(/<bounds[^>]*\/>/, ''));
    expect(withoutBounds.bounds).toEqual({ minLat: 42.0493, minLng: -87.6775, maxLat: 42.0531, maxLng: -87.675 });
  });

  it('trims walkways to the bounds when asked, keeping one node beyond the edge', () => {
    const xml = buildFixtureXml().replace('maxlat="42.054"', 'maxlat="42.0506"');
    const clipped = parseOsmCampus(xml, { clipToBounds: true });
    expect(clipped.walkways.find((w) => w.osmId === 'way/302')?.nodeIds).toEqual(['23', '24']);
    expect(clipped.buildings.map((b) => b.osmId)).toEqual(['way/100']);
    expect(clipped.entrances.map((e) => e.osmId)).toEqual(['node/2']);
  });

  it('throws OsmParseError with its code for malformed XML, other XML and empty input', () => {
    const attempts = ['<osm><node id="1" lat="1" lon="2"></osm>', '<gpx version="1.1"></gpx>', '', 'not xml at all'];
    for (const input of attempts) {
      expect(() => parseOsmCampus(input)).toThrow(OsmParseError);
      expect(() => parseOsmCampus(input)).toThrow(expect.objectContaining({ code: 'OSM_PARSE_ERROR' }));
    }
  });

  it('throws OsmParseError for a node without coordinates', () => {
    expect(() => parseOsmCampus('<osm version="0.6"><node id="1" lat="x" lon="2"/></osm>')).toThrow(
      expect.objectContaining({ code: 'OSM_PARSE_ERROR' }),
    );
  });
});
