import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDispatch } from '../../../api/domain/dispatch-plan.ts';
import { distanceM } from '../../../api/domain/geo.ts';
import { snapToGraph, timeBetweenS } from '../../../api/domain/travel-time.ts';
import type { AedForPlanning, LatLng } from '../../../api/domain/types.ts';
import { buildWalkingGraph, type WalkingGraph, type WalkwayInput } from '../../../api/domain/walking-graph.ts';

const DIR = new URL('../../../geo-data/northwestern-evanston/', import.meta.url);

interface Feature {
  id: string;
  geometry: { coordinates: unknown };
  properties: Record<string, unknown>;
}

function features(file: string): Feature[] {
  return (JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as { features: Feature[] }).features;
}

function campusWalkways(): WalkwayInput[] {
  return features('walkways.geojson').map((f) => ({
    coords: (f.geometry.coordinates as [number, number][]).map(([lng, lat]) => ({ lat, lng })),
    nodeIds: f.properties.nodeIds as string[],
    highway: f.properties.highway as string,
    steps: f.properties.steps as boolean,
  }));
}

function campusAeds(): AedForPlanning[] {
  return features('aeds.geojson').map((f) => {
    const [lng, lat] = f.geometry.coordinates as [number, number];
    const tag = (key: string): string | null => (f.properties[key] as string | undefined) ?? null;
    return {
      id: f.id, lat, lng,
      level: tag('level') === null ? null : Number(tag('level')),
      indoor: tag('indoor') === null ? null : tag('indoor') === 'yes',
      access: tag('access'), openingHours: tag('opening_hours'),
      status: 'in_service', claimedByIncidentId: null, padExpiresOn: null, batteryExpiresOn: null,
    };
  });
}

/** Brute force: the distance from a point to the nearest segment of any way, on a local plane. */
function bruteSnapM(graph: WalkingGraph, p: LatLng): number {
  const mPerDeg = 111_195.08;
  const cos = Math.cos((p.lat * Math.PI) / 180);
  let best = Infinity;
  for (let e = 0; e < graph.edgeCount; e++) {
    const [a, b] = [graph.edgeFrom[e], graph.edgeTo[e]];
    const ax = (graph.nodeLng[a] - p.lng) * cos * mPerDeg;
    const ay = (graph.nodeLat[a] - p.lat) * mPerDeg;
    const bx = (graph.nodeLng[b] - p.lng) * cos * mPerDeg;
    const by = (graph.nodeLat[b] - p.lat) * mPerDeg;
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * (bx - ax) + ay * (by - ay)) / len2));
    best = Math.min(best, Math.hypot(ax + t * (bx - ax), ay + t * (by - ay)));
  }
  return best;
}

const NORRIS_SW_ENTRANCE = { lat: 42.053298, lng: -87.673101 };
const TECH_WEST_ENTRANCE = { lat: 42.057825, lng: -87.676244 };
const graph = buildWalkingGraph(campusWalkways());

describe('the demo campus walking graph (geo-data/northwestern-evanston)', () => {
  it('is one network for all but a few fragments', () => {
    expect(graph.nodeCount).toBeGreaterThan(3_000);
    expect(graph.componentSizes[0] / graph.nodeCount).toBeGreaterThan(0.9);
  });

  it('routes Norris University Center to the Technological Institute between 1x and 2x the straight line', () => {
    const straightS = distanceM(NORRIS_SW_ENTRANCE, TECH_WEST_ENTRANCE) / graph.travel.walkSpeedMps;
    const routeS = timeBetweenS(graph, NORRIS_SW_ENTRANCE, TECH_WEST_ENTRANCE);
    expect(routeS).toBeGreaterThanOrEqual(straightS);
    expect(routeS).toBeLessThanOrEqual(2 * straightS);
  });

  it('joins every QR-code spot to the network within 150 m', () => {
    for (const spot of features('qr-spots.geojson')) {
      const [lng, lat] = spot.geometry.coordinates as [number, number];
      expect(snapToGraph(graph, { lat, lng }), spot.id).not.toBeNull();
    }
  });

  it('snaps to the same distance as a brute-force scan of every edge (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 42.0478, max: 42.0644, noNaN: true }), fc.double({ min: -87.6841, max: -87.6677, noNaN: true }), (lat, lng) => {
        const expectedM = bruteSnapM(graph, { lat, lng });
        const snap = snapToGraph(graph, { lat, lng });
        if (expectedM > graph.travel.maxSnapM + 0.01) expect(snap).toBeNull();
        else if (expectedM < graph.travel.maxSnapM - 0.01) expect(snap?.offsetM).toBeCloseTo(expectedM, 1);
      }),
      { numRuns: 300 },
    );
  });

  it('snaps points beside the middle of long edges to those edges, as a brute-force scan does', () => {
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.edgeLengthM[e] < 60) continue;
      const [a, b] = [graph.edgeFrom[e], graph.edgeTo[e]];
      // 8 m to the side of the midpoint (rotate the edge direction by 90 degrees, in degrees of lat/lng scaled by cos).
      const cos = Math.cos((graph.nodeLat[a] * Math.PI) / 180);
      const dx = (graph.nodeLng[b] - graph.nodeLng[a]) * cos;
      const dy = graph.nodeLat[b] - graph.nodeLat[a];
      const scale = 8 / 111_195.08 / Math.hypot(dx, dy);
      const p = { lat: (graph.nodeLat[a] + graph.nodeLat[b]) / 2 + dx * scale, lng: (graph.nodeLng[a] + graph.nodeLng[b]) / 2 - (dy * scale) / cos };
      expect(snapToGraph(graph, p)?.offsetM).toBeCloseTo(bruteSnapM(graph, p), 1);
    }
  });

  it('lists the AED at the Norris entrance first for a collapse there on a weekday morning', () => {
    const plan = planDispatch({
      patient: NORRIS_SW_ENTRANCE,
      volunteers: [],
      aeds: campusAeds(),
      graph,
      at: new Date('2025-06-10T15:00:00Z'),
      config: { timezone: 'America/Chicago' },
    });
    // Same spot: no walking, just the cabinet (30 s) and the indoor search (30 s).
    expect(plan.nearestAeds[0]).toEqual({ aedId: 'NU-DEMO-02', walkTimeS: expect.closeTo(60, 3), distanceM: 0 });
    expect(plan.nearestAeds.map((a) => a.aedId)).not.toContain('NU-DEMO-08'); // access=private
  });
});
