import { beforeAll, describe, expect, it } from 'vitest';
import { renderTimeChart } from '../../../api/domain/simulation/chart.ts';
import { aedFromTags, prepareSimulationCampus, type SimulationCampus } from '../../../api/domain/simulation/campus.ts';
import { runSimulation } from '../../../api/domain/simulation/run.ts';
import { DEMO_CAMPUS_DIR, loadCampusGeoData } from '../../../api/import/geo-data.ts';

describe('aedFromTags', () => {
  it('reads the tags the registry import reads', () => {
    const tags = { emergency: 'defibrillator', access: 'customers', indoor: 'yes', level: '2;3', opening_hours: 'Mo-Fr 07:00-22:00', status: 'out_of_service', pad_expiry: '2028-01-31', battery_expiry: 'soon' };
    expect(aedFromTags('NU-DEMO-04', { lat: 42.054295, lng: -87.678211 }, tags)).toEqual({
      id: 'NU-DEMO-04',
      lat: 42.054295,
      lng: -87.678211,
      level: 2,
      indoor: true,
      access: 'customers',
      openingHours: 'Mo-Fr 07:00-22:00',
      status: 'out_of_service',
      claimedByIncidentId: null,
      padExpiresOn: '2028-01-31',
      batteryExpiresOn: null,
    });
    expect(aedFromTags('x', { lat: 0, lng: 0 }, { emergency: 'defibrillator', status: 'broken' }).status).toBe('in_service');
  });
});

describe('the simulator on the demo campus', () => {
  let campus: SimulationCampus;
  beforeAll(async () => {
    const data = await loadCampusGeoData(DEMO_CAMPUS_DIR);
    campus = prepareSimulationCampus({
      walkways: data.walkways.map((w) => ({ coords: w.coords, nodeIds: w.nodeIds, highway: w.highway, steps: w.steps })),
      buildings: data.buildings.map((b) => ({ name: b.name, polygon: b.polygon, levels: b.levels })),
      aeds: data.aeds.map((f) => aedFromTags(f.id!, { lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0] }, f.properties)),
      timezone: data.campus.timezone,
      bounds: data.campus.bounds,
    });
  });

  it('runs every strategy on the same drills and brings an AED in most drills with ours', () => {
    const result = runSimulation({ campus, drills: 12, seed: 42, params: { hour: 14 } });
    expect(result.drills.every((d) => d.hour === 14)).toBe(true);
    for (const s of result.strategies) expect(s.outcomes).toHaveLength(12);
    const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s.summary]));
    expect(byId['radius-400m'].aed.neverShare).toBe(1);
    expect(byId['nearest-3'].meanAlerted).toBe(3);
    expect(byId.ours.aed.neverShare).toBeLessThan(0.2);
  });

  it('draws the chart with both panels, the budget line and every strategy in the legend', () => {
    const svg = renderTimeChart(
      [
        { label: 'Ours', aedS: [100, 250, Infinity], firstCprS: [60, 90, 120] },
        { label: 'A & <B>', aedS: [Infinity], firstCprS: [80] },
      ],
      { title: 'T', subtitle: ['s'], budgetS: 240 },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/240 s budget/g)).toHaveLength(2);
    expect(svg).toContain('A &amp; &lt;B&gt;');
    expect(svg).toContain('within 240 s: 33 %, never: 33 %');
    expect(svg.match(/<path /g)).toHaveLength(4);
  });
});
