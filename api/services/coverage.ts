import { createHash } from 'node:crypto';
import { cellToBoundary, gridDisk, polygonToCells } from 'h3-js';
import type { AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository, CampusRow } from '../db/campus-repository.ts';
import { DB_H3_RES } from '../db/h3-column.ts';
import { usableNow } from '../domain/availability.ts';
import { polygonsOf } from '../domain/building-finder.ts';
import { campusWallClock } from '../domain/campus-clock.ts';
import { resolveDispatchConfig, type DispatchConfig } from '../domain/config.ts';
import { aedRetrievalS, campusCells, computeCoverage, type CoverageSite, type SiteSuggestion } from '../domain/coverage.ts';
import type { LatLng } from '../domain/types.ts';
import { buildWalkingGraph, type WalkingGraph } from '../domain/walking-graph.ts';
import { NotFoundError } from '../errors.ts';
import type { Clock } from './clock.ts';
import { floorOf, toPlanningAed } from './matching.ts';

/** Times beyond this are drawn as "more than 10 minutes" and not searched, seconds. */
const MAX_TIME_S = 600;
/** AEDs this far outside the campus bounds still cover its edge, degrees (~300 m). */
const AED_MARGIN_DEG = 0.003;
const RESULT_CACHE_SIZE = 32;

export interface CoverageQuery {
  /** ISO weekday 1 (Monday) - 7 (Sunday) on the campus clock; default today. */
  weekday?: number;
  /** Hour 0-23 on the campus clock; default the current hour. */
  hour?: number;
  /** H3 resolution of the cells, 9-11; default 10. */
  res: number;
}

export interface CoverageView {
  campus: { id: string; slug: string; name: string; timezone: string };
  /** The instant the AEDs' availability was evaluated at (the chosen weekday and hour). */
  at: string;
  weekday: number;
  hour: number;
  res: number;
  budgetS: number;
  /** `label` in English where the data has it, `labelZh` in Chinese: a page shows its reader's. */
  aeds: { id: string; lat: number; lng: number; retrievalS: number; label: string | null; labelZh: string | null }[];
  unusableAeds: number;
  totalCells: number;
  coveredCells: number;
  shareWithin240s: number;
  cells: { type: 'FeatureCollection'; features: { type: 'Feature'; geometry: { type: 'Polygon'; coordinates: [number, number][][] }; properties: { cell: string; timeS: number | null } }[] };
  suggestion: SuggestionView | null;
  suggestions: SuggestionView[];
}

type SuggestionView = SiteSuggestion['site'] & { labelZh: string; gainCells: number; shareAfter: number };

/** A place's name in English and in Chinese, each falling back to the other. */
const bilingual = (en: (string | null | undefined)[], zh: (string | null | undefined)[]) => ({
  label: en.find(Boolean) ?? zh.find(Boolean) ?? null,
  labelZh: zh.find(Boolean) ?? en.find(Boolean) ?? null,
});

interface CampusModel {
  campus: CampusRow;
  graph: WalkingGraph | null;
  cellsByRes: Map<number, string[]>;
  buildings: LatLng[][];
  walkways: LatLng[][];
}

/** Outer rings of a GeoJSON Polygon or MultiPolygon. */
function outerRings(geometry: unknown): LatLng[][] {
  return polygonsOf(geometry).map((rings) => rings[0]!);
}

/** The instant the campus clock reads `date` at `hour`:00 (two passes settle any UTC offset, DST included). */
export function instantOnCampusClock(date: { year: number; month: number; day: number }, hour: number, timezone: string): Date {
  const target = Date.UTC(date.year, date.month - 1, date.day, hour);
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const wall = campusWallClock(new Date(guess), timezone);
    const offsetMs = Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes()) - guess;
    guess = target - offsetMs;
  }
  return new Date(guess);
}

/** The next `weekday` at `hour` on the campus clock, from today (today included). */
function chosenInstant(now: Date, timezone: string, query: CoverageQuery): { at: Date; weekday: number; hour: number } {
  const wall = campusWallClock(now, timezone);
  const today = ((wall.getDay() + 6) % 7) + 1;
  const weekday = query.weekday ?? today;
  const hour = query.hour ?? wall.getHours();
  const ahead = (weekday - today + 7) % 7;
  const day = new Date(Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate() + ahead));
  return { at: instantOnCampusClock({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, hour, timezone), weekday, hour };
}

/**
 * Coverage maps: each campus's walking graph is built once; AEDs are read on every request (their
 * status and hours change), and results are cached by the exact set of usable AEDs.
 */
export function createCoverageService(deps: { campuses: CampusRepository; aeds: AedRepository; clock: Clock; dispatch?: Partial<DispatchConfig> }) {
  const config = resolveDispatchConfig(deps.dispatch);
  const models = new Map<string, Promise<CampusModel>>();
  const results = new Map<string, CoverageView>();

  function load(campus: CampusRow): Promise<CampusModel> {
    let model = models.get(campus.id);
    if (!model) {
      model = (async () => {
        const [walkwayRows, buildingRows] = await Promise.all([deps.campuses.listWalkways(campus.id), deps.campuses.listBuildings(campus.id)]);
        const ways = walkwayRows.map((w) => ({
          coords: (w.geometry as { coordinates: [number, number][] }).coordinates.map(([lng, lat]) => ({ lat, lng })),
          nodeIds: w.nodeIds ?? undefined,
          highway: w.highway,
          steps: w.isSteps,
        }));
        const graph = ways.length > 0 ? buildWalkingGraph(ways, config) : null;
        return { campus, graph, cellsByRes: new Map(), buildings: buildingRows.flatMap((b) => outerRings(b.geometry)), walkways: ways.map((w) => w.coords) };
      })();
      model.catch(() => models.delete(campus.id));
      models.set(campus.id, model);
    }
    return model;
  }

  function cellsOf(model: CampusModel, res: number): string[] {
    let cells = model.cellsByRes.get(res);
    if (!cells) {
      const { minLat, minLng, maxLat, maxLng } = model.campus;
      cells = campusCells({ bounds: { minLat, minLng, maxLat, maxLng }, buildings: model.buildings, walkways: model.walkways }, res);
      model.cellsByRes.set(res, cells);
    }
    return cells;
  }

  /** AEDs on or near the campus, whatever campus they were imported for. */
  async function aedsNear(campus: CampusRow) {
    const m = AED_MARGIN_DEG;
    const box = { minLat: campus.minLat - m, maxLat: campus.maxLat + m, minLng: campus.minLng - m, maxLng: campus.maxLng + m };
    const ring = [[box.minLat, box.minLng], [box.minLat, box.maxLng], [box.maxLat, box.maxLng], [box.maxLat, box.minLng]];
    const cells = new Set(polygonToCells(ring, DB_H3_RES).flatMap((c) => gridDisk(c, 1)));
    const found = await deps.aeds.findInCells([...cells]);
    return found.filter((a) => a.lat >= box.minLat && a.lat <= box.maxLat && a.lng >= box.minLng && a.lng <= box.maxLng);
  }

  /** Where a new AED could hang: at each active QR spot's entrance, at each building's centre; with their Chinese names. */
  function sitesOf(spots: Awaited<ReturnType<CampusRepository['listQrSpots']>>, buildings: Awaited<ReturnType<CampusRepository['listBuildings']>>): (CoverageSite & { labelZh: string })[] {
    // A new AED at an entrance hangs in an outdoor cabinet; one at a building's centre is indoors.
    const entranceS = aedRetrievalS({ indoor: false, level: 0 }, config);
    const insideS = aedRetrievalS({ indoor: true, level: 0 }, config);
    const spotName = (s: (typeof spots)[number], entrance: string | null) => [s.buildingName, entrance].filter(Boolean).join(' · ') || s.code;
    return [
      ...spots
        .filter((s) => s.active)
        .map((s) => ({ id: `qr:${s.code}`, label: spotName(s, s.entrance ?? s.entranceZh), labelZh: spotName(s, s.entranceZh ?? s.entrance), lat: s.lat, lng: s.lng, retrievalS: entranceS })),
      ...buildings.map((b) => ({ id: `building:${b.id}`, label: b.name, labelZh: b.nameZh ?? b.name, lat: b.centroidLat, lng: b.centroidLng, retrievalS: insideS })),
    ];
  }

  return {
    /**
     * The campus's coverage at a weekday and hour: cells coloured by the best AED time, the share
     * within the 240 s budget, and greedy suggestions for the next AEDs.
     * @throws NotFoundError for an unknown campus
     */
    async coverage(slug: string, query: CoverageQuery): Promise<CoverageView> {
      const campus = await deps.campuses.findCampusBySlug(slug);
      if (!campus) throw new NotFoundError('No such campus');
      const { at, weekday, hour } = chosenInstant(deps.clock.now(), campus.timezone, query);
      const [model, nearby] = await Promise.all([load(campus), aedsNear(campus)]);
      // A future hour: an AED claimed by an incident now will be back by then.
      const usable = nearby.filter((a) => usableNow({ ...toPlanningAed(a), claimedByIncidentId: null }, at, { timezone: campus.timezone, allowPrivate: config.allowPrivateAeds }).usable);
      const aeds = usable.map((a) => ({
        id: a.id,
        lat: a.lat,
        lng: a.lng,
        retrievalS: aedRetrievalS({ indoor: a.indoor, level: floorOf(a.level) }, config),
        ...bilingual([a.locationEn, a.location, a.externalRef], [a.locationZh, a.location, a.externalRef]),
      }));
      const [spots, buildings] = await Promise.all([deps.campuses.listQrSpots(campus.id), deps.campuses.listBuildings(campus.id)]);
      const sites = sitesOf(spots, buildings);
      const key = createHash('sha256').update(JSON.stringify([campus.id, query.res, aeds, sites])).digest('base64url');
      const cached = results.get(key);
      if (cached) return { ...cached, at: at.toISOString(), weekday, hour, unusableAeds: nearby.length - usable.length };
      const cells = cellsOf(model, query.res);
      const result = computeCoverage(
        { graph: model.graph, travel: model.graph?.travel ?? config, cells, aeds, sites },
        { budgetS: config.budgetS, maxTimeS: MAX_TIME_S, suggestions: 3 },
      );
      const zhOf = new Map(sites.map((s) => [s.id, s.labelZh]));
      const suggestions = result.suggestions.map((s) => ({ ...s.site, labelZh: zhOf.get(s.site.id) ?? s.site.label, gainCells: s.gainCells, shareAfter: s.shareAfter }));
      const view: CoverageView = {
        campus: { id: campus.id, slug: campus.slug, name: campus.name, timezone: campus.timezone },
        at: at.toISOString(),
        weekday,
        hour,
        res: query.res,
        budgetS: config.budgetS,
        aeds,
        unusableAeds: nearby.length - usable.length,
        totalCells: cells.length,
        coveredCells: result.coveredCells,
        shareWithin240s: result.shareWithinBudget,
        cells: {
          type: 'FeatureCollection',
          features: result.cells.map((c) => ({
            type: 'Feature',
            geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.cell, true) as [number, number][]] },
            properties: { cell: c.cell, timeS: Number.isFinite(c.timeS) ? Math.round(c.timeS) : null },
          })),
        },
        suggestion: suggestions[0] ?? null,
        suggestions,
      };
      if (results.size >= RESULT_CACHE_SIZE) results.delete(results.keys().next().value!);
      results.set(key, view);
      return view;
    },

    /** Forgets a campus's graph and cells (after its walkways or buildings were re-imported). */
    invalidateCampus(campusId: string): void {
      models.delete(campusId);
      results.clear();
    },
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;
