import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDispatch } from '../../../api/domain/dispatch-plan.ts';
import { planDispatchNearestFirst } from '../../../api/domain/plan-nearest-first.ts';
import type { AedForPlanning, VolunteerForPlanning } from '../../../api/domain/types.ts';
import { buildWalkingGraph } from '../../../api/domain/walking-graph.ts';

const walkways = JSON.parse(readFileSync(new URL('../../../geo-data/northwestern-evanston/walkways.geojson', import.meta.url), 'utf8')) as {
  features: { geometry: { coordinates: [number, number][] }; properties: { highway: string; steps: boolean; nodeIds: string[] } }[];
};
const graph = buildWalkingGraph(
  walkways.features.map((f) => ({ coords: f.geometry.coordinates.map(([lng, lat]) => ({ lat, lng })), nodeIds: f.properties.nodeIds, highway: f.properties.highway, steps: f.properties.steps })),
);
const at = new Date('2026-11-30T15:00:00Z');
const patient = { lat: 42.053032, lng: -87.674044, level: 0 };
const aeds: AedForPlanning[] = [
  { id: 'a1', lat: 42.053144, lng: -87.67413, level: 1, indoor: true, access: 'yes', openingHours: '24/7', status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null },
  { id: 'a2', lat: 42.051914, lng: -87.67608, level: 0, indoor: false, access: 'yes', openingHours: '24/7', status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null },
  { id: 'a3', lat: 42.057413, lng: -87.672063, level: 3, indoor: true, access: 'yes', openingHours: '24/7', status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null },
];

const crowd = fc.array(
  fc.record({ dLat: fc.double({ min: -0.012, max: 0.012, noNaN: true }), dLng: fc.double({ min: -0.016, max: 0.016, noNaN: true }), level: fc.integer({ min: -1, max: 4 }) }),
  { minLength: 0, maxLength: 140 },
);

describe('planDispatchNearestFirst', () => {
  it('makes the same plan as planDispatch over the whole crowd (property, demo campus graph)', () => {
    fc.assert(
      fc.property(crowd, fc.integer({ min: 3, max: 30 }), (people, firstCount) => {
        const volunteers: VolunteerForPlanning[] = people.map((p, i) => ({
          id: `v${String(i).padStart(3, '0')}`,
          lat: patient.lat + p.dLat,
          lng: patient.lng + p.dLng,
          level: p.level,
          positionAtMs: at.getTime() - 10_000,
        }));
        const input = { patient, volunteers, aeds, graph, at };
        expect(planDispatchNearestFirst(input, firstCount)).toEqual(planDispatch(input));
      }),
      { numRuns: 300 },
    );
  });

  it('wants as many backups as planDispatch when the first candidates are all alerted (regression: seed 1704899364)', () => {
    const here = { lat: patient.lat, lng: patient.lng, positionAtMs: at.getTime() };
    const volunteers = [
      { id: 'v000', ...here },
      { id: 'v001', ...here },
      { id: 'v002', ...here, lng: patient.lng + 0.003399190011641906 },
      { id: 'v003', ...here },
      { id: 'v004', ...here },
    ];
    const input = { patient, volunteers, aeds, graph, at };
    expect(planDispatchNearestFirst(input, 4)).toEqual(planDispatch(input));
  });

  it('leaves out stale positions as planDispatch does', () => {
    const volunteers = [
      { id: 'fresh', lat: 42.0535, lng: -87.6741, positionAtMs: at.getTime() },
      { id: 'stale', lat: 42.0531, lng: -87.6740, positionAtMs: at.getTime() - 3_600_000 },
    ];
    const plan = planDispatchNearestFirst({ patient, volunteers, aeds, graph, at }, 1);
    expect(JSON.stringify(plan)).not.toContain('stale');
  });
});
