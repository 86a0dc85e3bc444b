import { latLngToCell } from 'h3-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { usableNow } from '../../../api/domain/availability.ts';
import { DEFAULT_DISPATCH_CONFIG } from '../../../api/domain/config.ts';
import { aedRetrievalS, campusCells, centreOf, computeCoverage, coverageTimesS, type CoverageSite, type CoverageSource } from '../../../api/domain/coverage.ts';
import { DispatchRoutes } from '../../../api/domain/dispatch-routes.ts';
import { timesFrom, travelTimeS } from '../../../api/domain/travel-time.ts';
import type { AedForPlanning, LatLng } from '../../../api/domain/types.ts';
import { buildWalkingGraph, type WalkingGraph, type WalkwayInput } from '../../../api/domain/walking-graph.ts';
import { DEMO_CAMPUS_DIR, loadCampusGeoData, type CampusGeoData } from '../../../api/import/geo-data.ts';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORIGIN = { lat: 42.05, lng: -87.68 };
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LNG = M_PER_DEG_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180);
/** A point `east` and `north` metres from ORIGIN. */
const at = (east: number, north: number): LatLng => ({ lat: ORIGIN.lat + north / M_PER_DEG_LAT, lng: ORIGIN.lng + east / M_PER_DEG_LNG });

/** A 5 x 5 street grid with 100 m blocks, plus a separate path 400 m east that joins nothing. */
function gridGraph(): WalkingGraph {
  const ways: WalkwayInput[] = [];
  for (let i = 0; i <= 4; i++) {
    ways.push({ coords: [at(0, i * 100), at(400, i * 100)], highway: 'footway', steps: false });
    ways.push({ coords: [at(i * 100, 0), at(i * 100, 400)], highway: i === 2 ? 'steps' : 'footway', steps: i === 2 });
  }
  // Split the long lines at every crossing so the grid joins at shared coordinates.
  const split: WalkwayInput[] = [];
  for (const way of ways) {
    const [a, b] = way.coords;
    const coords = [0, 1, 2, 3, 4].map((k) => ({ lat: a.lat + ((b.lat - a.lat) * k) / 4, lng: a.lng + ((b.lng - a.lng) * k) / 4 }));
    split.push({ ...way, coords });
  }
  split.push({ coords: [at(800, 0), at(800, 400)], highway: 'path', steps: false });
  return buildWalkingGraph(split);
}

const planningAed = (over: Partial<AedForPlanning>): AedForPlanning => ({
  id: 'a',
  lat: 0,
  lng: 0,
  level: null,
  indoor: null,
  access: 'yes',
  openingHours: null,
  status: 'in_service',
  claimedByIncidentId: null,
  padExpiresOn: null,
  batteryExpiresOn: null,
  ...over,
});

describe('coverageTimesS', () => {
  const graph = gridGraph();
  const travel = graph.travel;

  it('adds the retrieval time to the walk along a straight footway', () => {
    const aed: CoverageSource = { id: 'a', ...at(0, 0), retrievalS: 30 };
    // 230 m along the bottom street at 2.3 m/s: 100 s, plus 30 s at the cabinet.
    const [timeS] = coverageTimesS(graph, travel, [aed], [at(230, 0)], 600);
    expect(timeS).toBeCloseTo(130, 3);
  });

  it('gives each point the best AED, not the first', () => {
    const near: CoverageSource = { id: 'near', ...at(400, 400), retrievalS: 90 };
    const far: CoverageSource = { id: 'far', ...at(0, 0), retrievalS: 0 };
    const [timeS] = coverageTimesS(graph, travel, [far, near], [at(400, 300)], 600);
    expect(timeS).toBeCloseTo(90 + 100 / 2.3, 3);
  });

  it('matches the best single-AED travelTimeS for random AEDs and points, off the network and across components', () => {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const aeds: CoverageSource[] = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => ({
        id: `a${i}`,
        ...at(next() * 900 - 50, next() * 500 - 50),
        retrievalS: Math.round(next() * 120),
      }));
      const points = Array.from({ length: 25 }, () => at(next() * 1000 - 100, next() * 600 - 100));
      const got = coverageTimesS(graph, travel, aeds, points, Infinity);
      points.forEach((p, i) => {
        const expected = Math.min(...aeds.map((a) => a.retrievalS + travelTimeS(graph, timesFrom(graph, a), p)));
        expect(got[i]).toBeCloseTo(expected, 6);
      });
    }
  });

  it('returns Infinity beyond maxTimeS and walks straight without a network', () => {
    const aed: CoverageSource = { id: 'a', ...at(0, 0), retrievalS: 30 };
    expect(coverageTimesS(graph, travel, [aed], [at(400, 400)], 120)[0]).toBe(Infinity);
    const [straightS] = coverageTimesS(null, travel, [aed], [at(230, 0)], 600);
    expect(straightS).toBeCloseTo(30 + (230 * 1.5) / 2.3, 1);
  });
});

describe('aedRetrievalS', () => {
  it('counts what the dispatch plan counts: cabinet, indoor search, stairs up and down', () => {
    const config = DEFAULT_DISPATCH_CONFIG;
    const aed = planningAed({ ...at(100, 100), indoor: true, level: 2 });
    expect(aedRetrievalS(aed, config)).toBe(30 + 30 + 2 * 2 * 15);
    const routes = new DispatchRoutes(gridGraph(), config, at(0, 0), [{ id: 'v', ...at(0, 0), positionAtMs: 0 }]);
    expect(routes.routeAeds([aed])[0].retrievalS).toBe(aedRetrievalS(aed, config));
  });
});

describe('campusCells', () => {
  it('holds the cells of buildings and walkways inside the bounds, sorted, and nothing else', () => {
    const bounds = { minLat: at(0, -50).lat, minLng: at(-50, 0).lng, maxLat: at(0, 1500).lat, maxLng: at(1500, 0).lng };
    const building = [at(1000, 1000), at(1100, 1000), at(1100, 1100), at(1000, 1100), at(1000, 1000)];
    const cells = campusCells({ bounds, buildings: [building], walkways: [[at(0, 0), at(400, 0)], [at(0, 0), at(0, -500)]] }, 10);
    expect(cells).toEqual([...new Set(cells)].sort());
    expect(cells).toContain(latLngToCell(at(200, 0).lat, at(200, 0).lng, 10));
    expect(cells).toContain(latLngToCell(at(1050, 1050).lat, at(1050, 1050).lng, 10));
    // Empty ground inside the bounds, and the walkway's stretch outside them, are not campus.
    expect(cells).not.toContain(latLngToCell(at(700, 600).lat, at(700, 600).lng, 10));
    expect(cells).not.toContain(latLngToCell(at(0, -400).lat, at(0, -400).lng, 10));
  });

  it('rejects a bad resolution with INVALID_RESOLUTION', () => {
    expect(() => campusCells({ bounds: { minLat: 0, minLng: 0, maxLat: 1, maxLng: 1 }, buildings: [], walkways: [] }, 16)).toThrow(
      expect.objectContaining({ code: 'INVALID_RESOLUTION' }),
    );
  });
});

describe('computeCoverage', () => {
  const graph = gridGraph();
  const bounds = { minLat: at(0, -20).lat, minLng: at(-20, 0).lng, maxLat: at(0, 420).lat, maxLng: at(820, 0).lng };
  const cells = campusCells({ bounds, buildings: [], walkways: [[at(0, 0), at(400, 0), at(400, 400), at(0, 400), at(0, 0)], [at(800, 0), at(800, 400)]] });
  const sites: CoverageSite[] = [
    { id: 'east-path', label: 'East path', ...at(800, 200), retrievalS: 30 },
    { id: 'grid-centre', label: 'Grid centre', ...at(200, 200), retrievalS: 30 },
    { id: 'next-to-aed', label: 'Next to the AED', ...at(10, 0), retrievalS: 30 },
  ];
  const aeds: CoverageSource[] = [{ id: 'a', ...at(0, 0), retrievalS: 30 }];

  it('counts covered cells and their share', () => {
    const result = computeCoverage({ graph, travel: graph.travel, cells, aeds, sites: [] }, { budgetS: 240, maxTimeS: 600 });
    const covered = result.cells.filter((c) => c.timeS <= 240).length;
    expect(result.coveredCells).toBe(covered);
    expect(result.shareWithinBudget).toBeCloseTo(covered / cells.length, 12);
    expect(result.cells.map((c) => c.cell)).toEqual(cells);
  });

  it('suggests sites that really add covered cells, greedily, and never one an AED reaches within 60 s', () => {
    const result = computeCoverage({ graph, travel: graph.travel, cells, aeds, sites }, { budgetS: 240, maxTimeS: 600, suggestions: 3 });
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.map((s) => s.site.id)).not.toContain('next-to-aed');
    let before = result.coveredCells;
    const placed = [...aeds];
    for (const s of result.suggestions) {
      expect(s.gainCells).toBeGreaterThan(0);
      placed.push({ id: s.site.id, lat: s.site.lat, lng: s.site.lng, retrievalS: s.site.retrievalS });
      const after = computeCoverage({ graph, travel: graph.travel, cells, aeds: placed, sites: [] }, { budgetS: 240, maxTimeS: 600 });
      expect(after.coveredCells).toBe(before + s.gainCells);
      expect(after.shareWithinBudget).toBeCloseTo(s.shareAfter, 12);
      before = after.coveredCells;
    }
    // The separate east path is out of reach of the AED: an AED there covers the most new cells.
    expect(result.suggestions[0].site.id).toBe('east-path');
  });
});

describe('coverage of the demo campus (Northwestern, Evanston)', () => {
  let data: CampusGeoData;
  let graph: WalkingGraph;
  let cells: string[];
  beforeAll(async () => {
    data = await loadCampusGeoData(DEMO_CAMPUS_DIR);
    graph = buildWalkingGraph(data.walkways.map((w) => ({ coords: w.coords, nodeIds: w.nodeIds, highway: w.highway, steps: w.steps })));
    cells = campusCells({ bounds: data.campus.bounds, buildings: data.buildings.map((b) => b.polygon[0]), walkways: data.walkways.map((w) => w.coords) });
  });

  /** The demo AEDs usable at `when` (campus time America/Chicago), as coverage sources. */
  function usableAeds(when: Date): CoverageSource[] {
    return data.aeds
      .map((f) => {
        const p = f.properties as Record<string, string>;
        const level = p.level === undefined ? null : Number(p.level);
        return planningAed({
          id: p.ref,
          lat: f.geometry.coordinates[1],
          lng: f.geometry.coordinates[0],
          level,
          indoor: p.indoor === 'yes',
          access: p.access,
          openingHours: p.opening_hours,
          status: p.status === 'out_of_service' ? 'out_of_service' : 'in_service',
          padExpiresOn: p.pad_expiry ?? null,
          batteryExpiresOn: p.battery_expiry ?? null,
        });
      })
      .filter((a) => usableNow(a, when, { timezone: data.campus.timezone }).usable)
      .map((a) => ({ id: a.id, lat: a.lat, lng: a.lng, retrievalS: aedRetrievalS(a, DEFAULT_DISPATCH_CONFIG) }));
  }

  const sitesOf = (d: CampusGeoData): CoverageSite[] => d.qrSpots.map((q) => ({ id: q.code, label: q.buildingName, lat: q.lat, lng: q.lng, retrievalS: 30 }));

  it('covers the outdoor 24/7 AED\'s cell and leaves the north-west corner and NU SafeRide outside four minutes', () => {
    // Tuesday 3 June 2025, 14:00 in Evanston: nine of the twelve demo AEDs are usable (two are private, one out of service).
    const result = computeCoverage({ graph, travel: graph.travel, cells, aeds: usableAeds(new Date('2025-06-03T19:00:00Z')), sites: [] }, { budgetS: 240, maxTimeS: 600 });
    const timeOf = new Map(result.cells.map((c) => [c.cell, c.timeS]));
    expect(cells).toHaveLength(144);
    // NU-DEMO-09, outdoor heated cabinet by a west entrance.
    expect(timeOf.get('8a2664da36dffff')).toBeCloseTo(64.0, 1);
    expect(timeOf.get('8a2664da340ffff')).toBeGreaterThan(240);
    expect(timeOf.get('8a2664da34b7fff')).toBe(Infinity);
    expect(result.coveredCells).toBe(52);
    expect(result.shareWithinBudget).toBeCloseTo(52 / 144, 12);
    expect(centreOf('8a2664da36dffff').lat).toBeCloseTo(42.052, 2);
  });

  it('covers less at 03:00 on a Sunday, when only the 24/7 public AEDs can be used', () => {
    const night = usableAeds(new Date('2025-06-08T08:00:00Z'));
    expect(night.map((a) => a.id).sort()).toEqual(['NU-DEMO-09', 'NU-DEMO-12']);
    const result = computeCoverage({ graph, travel: graph.travel, cells, aeds: night, sites: [] }, { budgetS: 240, maxTimeS: 600 });
    expect(result.coveredCells).toBe(34);
  });

  it('suggests an entrance whose AED really adds covered cells', () => {
    const aeds = usableAeds(new Date('2025-06-03T19:00:00Z'));
    const result = computeCoverage({ graph, travel: graph.travel, cells, aeds, sites: sitesOf(data) }, { budgetS: 240, maxTimeS: 600 });
    const [best] = result.suggestions;
    expect(best.gainCells).toBeGreaterThan(0);
    const withIt = computeCoverage({ graph, travel: graph.travel, cells, aeds: [...aeds, best.site], sites: [] }, { budgetS: 240, maxTimeS: 600 });
    expect(withIt.coveredCells).toBe(result.coveredCells + best.gainCells);
    expect(withIt.shareWithinBudget).toBeGreaterThan(result.shareWithinBudget);
  });
});
