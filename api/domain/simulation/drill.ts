/**
 * One simulated cardiac arrest: where and when it happens, and the on-duty volunteers with every
 * random draw that decides what they do. All strategies are run on the same drill, so a volunteer
 * accepts or not, after the same delay, at the same speed, whatever the strategy (common random
 * numbers: differences between strategies are the strategies', not the dice's).
 */
import { InvalidTimezoneError } from '../errors.ts';
import { distanceM } from '../geo.ts';
import type { LatLng, PatientLocation } from '../types.ts';
import type { WalkingGraph } from '../walking-graph.ts';
import type { SimulationCampus } from './campus.ts';
import type { SimulationParams } from './params.ts';
import { createRng, deriveSeed, logNormal, randomIndex, uniform, weightedIndex, type Rng } from './random.ts';
import { EdgeSampler, pointAlong, polylineLengthM, randomPointInPolygon, randomWalk } from './sampling.ts';

export interface SimVolunteer {
  id: string;
  /** Where they are when the alert goes out. */
  position: LatLng;
  /** Their last reported position: what every strategy plans with. */
  reported: LatLng;
  /** Their speed to the patient (and to an AED), m/s. */
  speedMps: number;
  /** They accept when this draw is below the drill's acceptance probability. */
  acceptDraw: number;
  /** From receiving the alert to answering (accepting: setting off), seconds. */
  answerDelayS: number;
  /** When they do not accept: true taps "decline", false stays silent. */
  declines: boolean;
}

export interface DrillPatient extends PatientLocation {
  level: number | null;
  kind: 'building' | 'path';
  /** The building's name, or "path". */
  place: string;
}

export interface Drill {
  index: number;
  /** The moment of the SOS; alerts go out at t = 0 s. */
  at: Date;
  /** The campus's wall-clock hour of `at`, 0-23. */
  hour: number;
  patient: DrillPatient;
  volunteers: SimVolunteer[];
  acceptProbability: number;
}

/** Whether the volunteer accepts an alert in this drill. */
export function accepts(drill: Drill, volunteer: SimVolunteer): boolean {
  return volunteer.acceptDraw < drill.acceptProbability;
}

/** A placer of volunteers and path collapses: walkway edges inside the campus bounds. */
export function campusEdgeSampler(campus: SimulationCampus): EdgeSampler {
  const { minLat, maxLat, minLng, maxLng } = campus.bounds;
  return new EdgeSampler(campus.graph, (p) => p.lat >= minLat && p.lat <= maxLat && p.lng >= minLng && p.lng <= maxLng);
}

/**
 * Drill number `index` of the run seeded with `seed`: the same (seed, index, params) give the same drill.
 * @throws InvalidTimezoneError; InvalidArgumentError when the campus has no walkway to place people on
 */
export function generateDrill(campus: SimulationCampus, sampler: EdgeSampler, params: SimulationParams, seed: number, index: number): Drill {
  const timeRng = createRng(deriveSeed(seed, 'drill', index, 'time'));
  const day = randomIndex(timeRng, 7);
  const hour = params.hour ?? randomIndex(timeRng, 24);
  const at = zonedInstant(params.weekStartsOn, day, hour, uniform(timeRng, 0, 60), campus.timezone);
  const patient = samplePatient(createRng(deriveSeed(seed, 'drill', index, 'patient')), campus, sampler, params);
  const volunteers = Array.from({ length: params.volunteers }, (_, i) =>
    sampleVolunteer(createRng(deriveSeed(seed, 'drill', index, 'volunteer', i)), campus.graph, sampler, params, `v${String(i).padStart(3, '0')}`),
  );
  return { index, at, hour, patient, volunteers, acceptProbability: params.acceptProbability };
}

/**
 * An on-duty volunteer strolling along a random walk of the walkways: where they are at the alert,
 * where they last reported (up to one reporting interval earlier), and their draws.
 * @param walkM length of the stroll they are somewhere along, metres
 */
export function sampleVolunteer(rng: Rng, graph: WalkingGraph, sampler: EdgeSampler, params: SimulationParams, id: string, walkM = 400): SimVolunteer {
  const path = randomWalk(graph, rng, sampler.sample(rng), walkM);
  const alongM = uniform(rng, 0, polylineLengthM(path));
  const reportAgeS = uniform(rng, 0, params.positionIntervalS);
  const speedMps = Math.min(params.maxSpeedMps, Math.max(params.minSpeedMps, logNormal(rng, params.speedMedianMps, params.speedSigma)));
  return {
    id,
    position: pointAlong(path, alongM),
    reported: pointAlong(path, alongM - params.strollSpeedMps * reportAgeS),
    speedMps,
    acceptDraw: rng.next(),
    answerDelayS: logNormal(rng, params.acceptDelayMedianS, params.acceptDelaySigma),
    declines: rng.next() < params.explicitDeclineShare,
  };
}

/**
 * `count` volunteers on the walkways within `radiusM` (straight line) of `point`, on the piece of
 * network the point snaps to: the simulated volunteers of a live drill. Ids are "1".."count".
 * @throws InvalidArgumentError when no walkway lies within the radius
 */
export function volunteersNear(graph: WalkingGraph, point: LatLng, radiusM: number, count: number, params: SimulationParams, seed: number): SimVolunteer[] {
  const snap = graph.edgeIndex.nearest(point, radiusM);
  const component = snap === null ? 0 : graph.component[graph.edgeFrom[snap.edge]];
  const sampler = new EdgeSampler(graph, (p) => distanceM(point, p) <= radiusM, component);
  // No stroll: each stays on the edge drawn, inside the radius.
  return Array.from({ length: count }, (_, i) => sampleVolunteer(createRng(deriveSeed(seed, 'drill-volunteer', i)), graph, sampler, params, String(i + 1), 0));
}

/** Inside a building (area-weighted, a random floor) with `indoorShare`, else on a walkway. */
function samplePatient(rng: Rng, campus: SimulationCampus, sampler: EdgeSampler, params: SimulationParams): DrillPatient {
  const indoor = rng.next() < params.indoorShare && campus.buildings.length > 0;
  if (!indoor) return { ...sampler.sample(rng).point, level: 0, kind: 'path', place: 'path' };
  const cumulative: number[] = [];
  for (const b of campus.buildings) cumulative.push((cumulative[cumulative.length - 1] ?? 0) + b.areaM2);
  const building = campus.buildings[weightedIndex(rng, cumulative)];
  const point = randomPointInPolygon(rng, building.polygon);
  const floors = Math.max(1, Math.floor(building.levels ?? params.defaultBuildingLevels));
  return { ...point, level: randomIndex(rng, floors), kind: 'building', place: building.name };
}

/**
 * The instant when the wall clock of `timezone` reads day `weekStartsOn + day`, `hour`:`minute`.
 * @throws InvalidTimezoneError
 */
export function zonedInstant(weekStartsOn: string, day: number, hour: number, minute: number, timezone: string): Date {
  const [y, m, d] = weekStartsOn.split('-').map(Number);
  const wallMs = Date.UTC(y, m - 1, d + day, hour) + minute * 60_000;
  let instantMs = wallMs;
  // Two rounds settle the zone offset (it differs only across a DST change).
  for (let i = 0; i < 2; i++) instantMs = wallMs - (wallClockMs(instantMs, timezone) - instantMs);
  return new Date(instantMs);
}

function wallClockMs(instantMs: number, timezone: string): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch (error) {
    throw new InvalidTimezoneError(`unknown time zone ${timezone}`, { cause: error });
  }
  const f: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instantMs))) if (part.type !== 'literal') f[part.type] = Number(part.value);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) + (instantMs % 1000);
}
