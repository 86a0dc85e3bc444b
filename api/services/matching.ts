import type { Aed, AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository, CampusRow } from '../db/campus-repository.ts';
import { DB_H3_RES } from '../db/h3-column.ts';
import type { IncidentRepository } from '../db/incident-repository.ts';
import type { OnDutyRow, VolunteerRepository } from '../db/volunteer-repository.ts';
import { hoursAhead, usableNow } from '../domain/availability.ts';
import { resolveDispatchConfig, type DispatchConfig } from '../domain/config.ts';
import { planDispatch, type DispatchPlan } from '../domain/dispatch-plan.ts';
import { planDispatchNearestFirst } from '../domain/plan-nearest-first.ts';
import { boxAround, cellsWithin, distanceM } from '../domain/geo.ts';
import { fallbackTimeS, floorTimeS, searchesKept, snapToGraph, timesFrom, travelTimeS } from '../domain/travel-time.ts';
import type { AedForPlanning, LatLng, VolunteerForPlanning } from '../domain/types.ts';
import { walkingRoute } from '../domain/route.ts';
import { BuildingFinder } from '../domain/building-finder.ts';
import { buildWalkingGraph, type WalkingGraph } from '../domain/walking-graph.ts';
import { isDispatchable } from './auth.ts';
import type { AedBrief, NearestAedView } from './incident-views.ts';
import type { Assignment, IncidentPlanner, PlanOutcome, PlanRequest } from './planner.ts';
import type { LivePosition } from './volunteers.ts';

export interface MatchingDeps {
  campuses: CampusRepository;
  aeds: AedRepository;
  volunteers: VolunteerRepository;
  incidents: IncidentRepository;
  /** Positions this process holds that may be fresher than the database's batch-written ones. */
  livePositions(): ReadonlyMap<string, LivePosition>;
  /** Ids of live positions within a radius (the volunteer service's H3 index). */
  liveNear(point: LatLng, radiusM: number): string[];
  dispatch?: Partial<DispatchConfig>;
}

/**
 * Where a plan's candidates come from: the database (with this process's fresher live positions),
 * or, while the database is unreachable, what the process holds in memory (see standby.ts).
 */
export interface CandidateSource {
  /** Dispatchable, not busy, not excluded volunteers within `radiusM`, at their freshest positions. */
  volunteers(point: LatLng, radiusM: number, at: Date, exclude: Set<string>): Promise<VolunteerForPlanning[]>;
  aeds(point: LatLng, radiusM: number): Promise<Aed[]>;
}

/** Candidates routed in a first plan (several times maxAlerted); see planNearestFirst. */
const PLAN_FIRST = 40;

/**
 * Cells kept in covered disks (cellsAround), about 6 MB: an SOS point uses three or four disks of
 * 29-67 cells (550 m-1 km), a 10 km nearest-AED disk 4,138 (10 ms to cover).
 */
const DISK_CELLS_KEPT = 100_000;

/** Radii the nearest-AED lookup tries in turn until it has enough AEDs, metres. */
// Stops at 10 km: a wider disk of res-9 cells (75,000 at 50 km) is more than one query can bind,
// and an AED farther away than that is no help in a cardiac arrest.
const NEAREST_RADII_M = [1_000, 3_000, 10_000];

/** Parses an OSM `level` ("2", "-1", "0;1", "0.5") into the floor to climb to: the first number. */
export function floorOf(level: string | null): number | null {
  const m = level?.match(/-?\d+(\.\d+)?/);
  return m ? Math.round(Number(m[0])) : null;
}

/** An AED as alerts and the bystander page show it. */
function briefOf(a: Aed, buildings: BuildingFinder | null | undefined): AedBrief {
  const building = buildings?.at(a) ?? null;
  return { id: a.id, lat: a.lat, lng: a.lng, level: a.level, indoor: a.indoor, location: a.location, locationZh: a.locationZh, locationEn: a.locationEn, openingHours: a.openingHours, building };
}

export function toPlanningAed(a: Aed): AedForPlanning {
  return {
    id: a.id,
    lat: a.lat,
    lng: a.lng,
    level: floorOf(a.level),
    indoor: a.indoor,
    access: a.access,
    openingHours: a.openingHours,
    status: a.status,
    claimedByIncidentId: a.claimedByIncidentId,
    padExpiresOn: a.padExpiresOn,
    batteryExpiresOn: a.batteryExpiresOn,
  };
}

/**
 * The matching engine wired to the data: builds each campus's walking graph once, gathers the
 * candidate volunteers and AEDs of a patient from H3 cells, and runs the pure dispatch plan.
 */
export function createMatchingService(deps: MatchingDeps) {
  const config = resolveDispatchConfig(deps.dispatch);
  const graphs = new Map<string, Promise<{ campus: CampusRow; graph: WalkingGraph | null; buildings: BuildingFinder }>>();

  async function campusGraph(campusId: string | null) {
    if (!campusId) return null;
    let entry = graphs.get(campusId);
    if (!entry) {
      entry = (async () => {
        const [campus, walkways, buildings] = await Promise.all([deps.campuses.findCampusById(campusId), deps.campuses.listWalkways(campusId), deps.campuses.listBuildings(campusId)]);
        const inputs = walkways.map((w) => ({
          coords: (w.geometry as { coordinates: [number, number][] }).coordinates.map(([lng, lat]) => ({ lat, lng })),
          nodeIds: w.nodeIds ?? undefined,
          highway: w.highway,
          steps: w.isSteps,
        }));
        return { campus: campus!, graph: inputs.length > 0 ? buildWalkingGraph(inputs, config) : null, buildings: new BuildingFinder(buildings) };
      })();
      entry.catch(() => graphs.delete(campusId));
      graphs.set(campusId, entry);
    }
    return entry;
  }

  // Campuses change only on an import: a short cache saves a query on every lookup.
  // The last list read stays in use while the database is unreachable.
  let campusList: { at: number; rows: Promise<CampusRow[]> } | null = null;
  let lastCampuses: CampusRow[] | null = null;
  const listCampuses = () => {
    if (!campusList || Date.now() - campusList.at > 30_000) {
      const rows = deps.campuses.listCampuses().then(
        (read) => (lastCampuses = read),
        (err: unknown) => {
          campusList = null;
          if (lastCampuses) return lastCampuses;
          throw err;
        },
      );
      campusList = { at: Date.now(), rows };
    }
    return campusList.rows;
  };

  /** The campus whose area holds the point (with a margin), to walk on its graph. */
  async function campusAt(point: LatLng) {
    const marginDeg = 0.005;
    const campus = (await listCampuses()).find(
      (c) => point.lat >= c.minLat - marginDeg && point.lat <= c.maxLat + marginDeg && point.lng >= c.minLng - marginDeg && point.lng <= c.maxLng + marginDeg,
    );
    return campus ? campusGraph(campus.id) : null;
  }

  /**
   * The cells covering a disk, kept by point and radius: SOS at one QR spot ask for the same disks
   * every time, and covering one (a grid disk, a distance per cell) took 0.5 ms of each SOS's CPU.
   */
  const disks = new Map<string, readonly string[]>();
  let cellsKept = 0;
  function cellsAround(point: LatLng, radiusM: number): readonly string[] {
    const key = `${point.lat} ${point.lng} ${radiusM}`;
    let cells = disks.get(key);
    if (cells) {
      disks.delete(key); // most recently used last
    } else {
      cells = cellsWithin(point, radiusM, DB_H3_RES);
      cellsKept += cells.length;
      for (const [oldKey, old] of disks) {
        if (cellsKept <= DISK_CELLS_KEPT) break;
        disks.delete(oldKey);
        cellsKept -= old.length;
      }
    }
    disks.set(key, cells);
    return cells;
  }

  async function candidateVolunteers(point: LatLng, radiusM: number, at: Date, exclude: Set<string>): Promise<VolunteerForPlanning[]> {
    // One read: the database leaves out whoever is responding to an open incident.
    const stored = await deps.volunteers.listAvailableInCells(cellsAround(point, radiusM), boxAround(point, radiusM));
    const byId = new Map<string, OnDutyRow>(stored.map((v) => [v.userId, v]));
    const live = deps.livePositions();
    const missing = deps.liveNear(point, radiusM).filter((id) => !byId.has(id));
    if (missing.length > 0) for (const v of await deps.volunteers.listAvailableByIds(missing)) byId.set(v.userId, v);
    const out: VolunteerForPlanning[] = [];
    for (const v of byId.values()) {
      if (exclude.has(v.userId) || !isDispatchable(v, at)) continue;
      const fresh = live.get(v.userId);
      const storedAt = v.positionAt;
      const p = fresh && (storedAt === null || fresh.at >= storedAt) ? fresh : v.lat !== null && v.lng !== null && storedAt ? { lat: v.lat, lng: v.lng, level: v.level, at: storedAt } : null;
      if (!p) continue;
      if (distanceM(point, p) > radiusM) continue;
      out.push({ id: v.userId, lat: p.lat, lng: p.lng, level: p.level, positionAtMs: p.at.getTime(), drill: v.drill });
    }
    return out;
  }

  /**
   * Reads of AEDs around a point still on their way, by point: an SOS asks twice at once (the plan
   * within the budget's reach, the bystander's nearest within a kilometre), and the two share one
   * read of the wider disk. Each read covers at least the first nearest-AED radius for that reason.
   */
  const aedReads = new Map<string, { radiusM: number; rows: Promise<Aed[]> }>();

  async function candidateAeds(point: LatLng, radiusM: number): Promise<Aed[]> {
    const key = `${point.lat},${point.lng}`;
    let read = aedReads.get(key);
    if (!read || read.radiusM < radiusM) {
      const readM = Math.max(radiusM, NEAREST_RADII_M[0]!);
      const rows = deps.aeds.findInCells(cellsAround(point, readM));
      const entry = { radiusM: readM, rows };
      aedReads.set(key, entry);
      const done = () => aedReads.get(key) === entry && aedReads.delete(key);
      rows.then(done, done);
      read = entry;
    }
    const rows = await read.rows;
    if (read.radiusM === radiusM) return rows;
    // The same AEDs as a read of this radius: those in the cells covering its disk.
    const cells = new Set(cellsAround(point, radiusM));
    return rows.filter((a) => cells.has(a.h3Cell));
  }

  /** Straight-line reach of the budget: nobody farther than this walks to the patient in time. */
  const budgetRadiusM = config.budgetS * config.walkSpeedMps;

  function toOutcome(plan: DispatchPlan, request: PlanRequest, aeds: Aed[], buildings: BuildingFinder | undefined): PlanOutcome {
    const assignments: Assignment[] = [];
    for (const c of plan.cpr) assignments.push({ volunteerId: c.volunteerId, role: request.needCpr ? 'cpr' : 'backup', aedId: null, etaS: c.etaS });
    if (plan.aedRunner) {
      const r = plan.aedRunner;
      assignments.push(request.needAed ? { volunteerId: r.volunteerId, role: 'aed', aedId: r.aedId, etaS: r.etaS } : { volunteerId: r.volunteerId, role: 'backup', aedId: null, etaS: r.etaS });
    }
    for (const b of plan.backups) assignments.push({ volunteerId: b.volunteerId, role: 'backup', aedId: null, etaS: b.etaS });
    return {
      assignments,
      cprEtaS: plan.cpr[0]?.etaS ?? null,
      aedEtaS: plan.aedRunner?.etaS ?? null,
      withinBudget: plan.withinBudget,
      reason: plan.reason,
      aeds: new Map(aeds.map((a) => [a.id, briefOf(a, buildings)])),
      summary: { ...plan, plannedAt: request.at.toISOString() } as unknown as Record<string, unknown>,
    };
  }

  /** The planner's three questions answered over one source of candidates. */
  function plannerOver(source: CandidateSource): IncidentPlanner {
    return {
      async plan(request) {
        const entry = await campusGraph(request.campusId);
        const timezone = entry?.campus.timezone;
        const radiusM = budgetRadiusM * request.radiusFactor;
        // A drill plans its simulated volunteers only, and a real SOS never plans them.
        const candidates = async (r: number) => (await source.volunteers(request.patient, r, request.at, request.excludeVolunteerIds)).filter((v) => !!v.drill === request.drill);
        let [volunteers, aedRows] = await Promise.all([candidates(radiusM), source.aeds(request.patient, Math.max(radiusM, budgetRadiusM))]);
        // Nobody can make it in time: still send the nearest people there are, and say so honestly.
        if (volunteers.length === 0) volunteers = await candidates(radiusM * 4);
        const input = {
          patient: request.patient,
          aeds: aedRows.map(toPlanningAed),
          graph: entry?.graph ?? null,
          at: request.at,
          incidentId: request.incidentId,
          config: { ...config, timezone: timezone ?? config.timezone },
        };
        return toOutcome(planDispatchNearestFirst({ ...input, volunteers }, PLAN_FIRST), request, aedRows, entry?.buildings);
      },

      async fetchPlanFor({ volunteerId, incidentId, patient, at }) {
        const [v] = await source.volunteers(patient, budgetRadiusM * 8, at, new Set()).then((all) => all.filter((x) => x.id === volunteerId));
        if (!v) return null;
        const incident = await deps.incidents.findById(incidentId);
        const entry = await campusGraph(incident?.campusId ?? null);
        const aeds = (await source.aeds(patient, budgetRadiusM)).map(toPlanningAed);
        const plan = planDispatch({ patient, volunteers: [v], aeds, graph: entry?.graph ?? null, at, incidentId, config: { ...config, cprResponders: 0, timezone: entry?.campus.timezone ?? config.timezone } });
        const r = plan.aedRunner;
        return r ? { aedId: r.aedId, etaS: r.etaS, withinBudget: r.etaS <= config.budgetS } : null;
      },

      async nearestAeds(point, limit, at) {
        const entry = await campusAt(point);
        let found: Aed[] = [];
        for (const r of NEAREST_RADII_M) {
          found = await source.aeds(point, r);
          if (found.length >= limit) break;
        }
        const graph = entry?.graph ?? null;
        const times = graph && snapToGraph(graph, point) ? timesFrom(graph, point) : null;
        const timezone = entry?.campus.timezone;
        const views: NearestAedView[] = found.map((a) => {
          const brief = briefOf(a, entry?.buildings);
          const walkS = graph && times ? travelTimeS(graph, times, a) : fallbackTimeS(config, point, a);
          const walkTimeS = Math.round(walkS + floorTimeS(floorOf(a.level), config.stairSecondsPerFloor));
          const options = { timezone: timezone ?? config.timezone, allowPrivate: config.allowPrivateAeds, openForS: walkTimeS };
          const planning = toPlanningAed(a);
          // Asked to stay open until someone walking from here arrives: 'closing' alone still means usable now.
          const { reasons } = usableNow(planning, at, options);
          const closesBeforeArrival = reasons.includes('closing');
          return {
            ...brief,
            distanceM: Math.round(distanceM(point, a)),
            walkTimeS,
            usableNow: reasons.length === 0 || (closesBeforeArrival && reasons.length === 1),
            hoursNow: hoursAhead(planning, at, options),
            closesBeforeArrival,
          };
        });
        return views.sort((x, y) => x.walkTimeS - y.walkTimeS || (x.id < y.id ? -1 : 1)).slice(0, limit);
      },
    };
  }

  let warming: Promise<void> = Promise.resolve();

  /**
   * The first SOS after a start took 76 ms to plan against 8 ms later (`npm run bench -- sos`):
   * walking searches from the patient's spot and each AED, and code not yet compiled. This runs the
   * searches from every active QR spot and AED of the campuses ahead (as many as are kept, a few at a
   * time so requests go first), then a trial plan at a spot with volunteers standing at the others.
   */
  async function warmSearches(campusIds: string[]): Promise<void> {
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const campusId of campusIds) {
      const entry = await campusGraph(campusId);
      const graph = entry?.graph;
      if (!entry || !graph) continue;
      const [aeds, spots] = await Promise.all([deps.aeds.listByCampus(campusId), deps.campuses.listQrSpots(campusId)]);
      const points: LatLng[] = [...aeds, ...spots.filter((s) => s.active)].slice(0, Math.floor(searchesKept(graph) / 2));
      for (let i = 0; i < points.length; i++) {
        timesFrom(graph, points[i]!);
        if (i % 8 === 7) await pause();
      }
      const [patient, ...others] = spots.filter((s) => s.active);
      if (!patient) continue;
      const at = new Date();
      const volunteers = others.slice(0, PLAN_FIRST + 10).map((s, i) => ({ id: `warm-up-${i}`, lat: s.lat, lng: s.lng, level: null, positionAtMs: at.getTime() }));
      planDispatchNearestFirst(
        { patient: { lat: patient.lat, lng: patient.lng, level: null }, volunteers, aeds: aeds.map(toPlanningAed), graph, at, config: { ...config, timezone: entry.campus.timezone } },
        PLAN_FIRST,
      );
    }
  }

  const service: IncidentPlanner & {
    invalidateCampus(campusId: string): void;
    warm(): Promise<void>;
    warmed(): Promise<void>;
    route(from: LatLng, to: LatLng, via?: LatLng): Promise<{ path: LatLng[]; timeS: number; onGraph: boolean }>;
    /** The same planner over another source of candidates (memory, while the database is down). */
    over(source: CandidateSource): IncidentPlanner;
    /** An AED as alerts show it, named after its campus's building. */
    brief(aed: Aed): Promise<AedBrief>;
    config: DispatchConfig;
  } = {
    config,
    brief: async (aed) => briefOf(aed, (await campusGraph(aed.campusId))?.buildings),
    ...plannerOver({ volunteers: candidateVolunteers, aeds: candidateAeds }),
    over: plannerOver,

    /** The walking route from `from` (through `via`) to `to` on the campus graph there; straight lines elsewhere. */
    async route(from: LatLng, to: LatLng, via?: LatLng) {
      const entry = await campusAt(from);
      const legs = via ? [[from, via], [via, to]] : [[from, to]];
      const parts = legs.map(([a, b]) => (entry?.graph ? walkingRoute(entry.graph, a!, b!) : { path: [a!, b!], timeS: fallbackTimeS(config, a!, b!), onGraph: false }));
      return {
        path: parts.flatMap((p, i) => (i === 0 ? p.path : p.path.slice(1))),
        timeS: parts.reduce((sum, p) => sum + p.timeS, 0),
        onGraph: parts.every((p) => p.onGraph),
      };
    },

    invalidateCampus(campusId) {
      graphs.delete(campusId);
      campusList = null;
    },

    /**
     * Builds every campus's walking graph now, so the first SOS does not wait for it; then, in the
     * background, searches from its QR spots and AEDs and runs a trial plan (see warmSearches).
     */
    async warm() {
      const campuses = await listCampuses();
      for (const c of campuses) await campusGraph(c.id);
      warming = warmSearches(campuses.map((c) => c.id)).catch(() => {
        // Best effort: an SOS searches for itself what was not warmed (the database may be closing).
      });
    },

    /** Resolves when the background warm-up started by warm() is over (tests, benchmarks). */
    warmed: () => warming,
  };
  return service;
}

export type MatchingService = ReturnType<typeof createMatchingService>;
