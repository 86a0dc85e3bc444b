import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BuildingFinder, type BuildingShape } from '../../../api/domain/building-finder.ts';
import { offset } from './sphere-fixtures.ts';

type Feature = { properties: Record<string, string>; geometry: { type: string; coordinates: [number, number] } };
const read = (file: string) => (JSON.parse(readFileSync(new URL(`../../../geo-data/northwestern-evanston/${file}`, import.meta.url), 'utf8')) as { features: Feature[] }).features;

describe('BuildingFinder on the demo campus', () => {
  const finder = new BuildingFinder(read('buildings.geojson').map((f) => ({ name: f.properties.name!, nameZh: null, geometry: f.geometry })));
  const aeds = new Map(read('aeds.geojson').map((f) => [f.properties.ref!, { lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0] }]));

  it('names the building of each AED, indoors or on an outside wall', () => {
    // Known answers: the AEDs' own location texts name a library desk, a gym, a pool, an outside wall.
    expect(finder.at(aeds.get('NU-DEMO-01')!)?.name).toBe('Northwestern University Library'); // 二楼借还书服务台旁
    expect(finder.at(aeds.get('NU-DEMO-03')!)?.name).toBe('Henry Crown Sports Pavilion and Aquatic Center'); // 泳池入口
    expect(finder.at(aeds.get('NU-DEMO-04')!)?.name).toBe('Blomquist Recreation Center'); // 三楼健身区楼梯口
    expect(finder.at(aeds.get('NU-DEMO-09')!)?.name).toBe('University Hall'); // 西侧入口外墙上 (outdoor)
    expect([...aeds.values()].every((p) => finder.at(p) !== null)).toBe(true);
  });

  it('names no building for a point in open ground', () => {
    expect(finder.at({ lat: 42.0545, lng: -87.6700 })).toBeNull(); // Lake Michigan, east of campus
  });
});

describe('BuildingFinder geometry', () => {
  const C = { lat: 42.05, lng: -87.67 };
  /** A square ring of side 2s metres around (east, north), GeoJSON [lng, lat]. */
  const square = (east: number, north: number, s: number) =>
    [[-s, -s], [s, -s], [s, s], [-s, s], [-s, -s]].map(([e, n]) => {
      const p = offset(C, east + e!, north + n!);
      return [p.lng, p.lat];
    });
  const hall: BuildingShape = { name: 'Hall', nameZh: '大厅', geometry: { type: 'Polygon', coordinates: [square(0, 0, 50), square(0, 0, 10)] } };
  const twin: BuildingShape = { name: 'Twin', nameZh: null, geometry: { type: 'MultiPolygon', coordinates: [[square(200, 0, 20)], [square(300, 0, 20)]] } };
  const broken: BuildingShape = { name: 'Broken', nameZh: null, geometry: { type: 'Point', coordinates: [C.lng, C.lat] } };
  const finder = new BuildingFinder([hall, twin, broken]);

  it('finds the building that holds a point, holes and every part of a multipolygon respected', () => {
    expect(finder.at(offset(C, 30, 30))).toEqual({ name: 'Hall', nameZh: '大厅' });
    expect(finder.at(offset(C, 300, 5))?.name).toBe('Twin');
    expect(finder.at(offset(C, 200, -5))?.name).toBe('Twin');
    // The courtyard (a hole) is 10 m from the hall's inner wall at most: named by the tolerance.
    expect(finder.at(offset(C, 0, 0))?.name).toBe('Hall');
    expect(finder.at(offset(C, 0, 0), 5)).toBeNull();
  });

  it('takes the nearest outline within the tolerance, and nothing beyond it', () => {
    expect(finder.at(offset(C, 60, 0))?.name).toBe('Hall'); // 10 m outside the east wall
    expect(finder.at(offset(C, 75, 0))).toBeNull(); // 25 m out
    expect(finder.at(offset(C, 75, 0), 30)?.name).toBe('Hall');
    expect(finder.at(offset(C, 230, 0))?.name).toBe('Twin'); // 10 m from its first part
    expect(finder.at(offset(C, 250, 0))).toBeNull(); // 30 m from both parts
  });
});
