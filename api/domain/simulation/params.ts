/**
 * Parameters of the drill simulator, with the source of every default. Durations are seconds,
 * speeds m/s, shares and probabilities in [0, 1].
 */
import { InvalidArgumentError } from '../errors.ts';
import { sigmaFromQuartiles } from './random.ts';

export interface SimulationParams {
  /** On-duty volunteers spread over the campus walkways in each drill. */
  volunteers: number;
  /**
   * Chance that an alerted volunteer accepts. Default 0.65, inside the 50-85 % that published
   * systems report (DESIGN.md, "Dispatch plan").
   */
  acceptProbability: number;
  /**
   * Median time from the alert to accepting and setting off. Default 30 s: an assumption for
   * volunteers who are on duty and already outdoors, the same value the planner uses
   * (config.acceptDelayS). Published turnout from home is much longer (median 1:45 min, Region of
   * Lifesavers, Resuscitation 2025, PMID 40816549): try `acceptDelayMedianS: 105` for that case.
   */
  acceptDelayMedianS: number;
  /** Log-sd of the accept delay. Default 0.8 (quartiles ~17-51 s around 30 s): an assumption. */
  acceptDelaySigma: number;
  /** Median running (or cycling) speed of a responder. Default 2.3 m/s (DESIGN.md, measured). */
  speedMedianMps: number;
  /** Log-sd of the speed, fitted to the published IQR 1.4-4.0 m/s: ln(4.0/1.4)/(2 x 0.6745) = 0.778. */
  speedSigma: number;
  /**
   * Speeds are clamped to this range: outside it the log-normal's tails are no longer people on foot
   * or on a bike (its 1st percentile is 0.4 m/s, its 99th 14 m/s).
   */
  minSpeedMps: number;
  maxSpeedMps: number;
  /** How fast on-duty volunteers stroll along the walkways before the alert (typical walking pace). */
  strollSpeedMps: number;
  /** Volunteers report their position this often; the system sees where they were up to this long ago. */
  positionIntervalS: number;
  /** Share of collapses inside buildings (the rest on paths). Default 0.6: an assumption. */
  indoorShare: number;
  /** Floors of a building that has no `building:levels` tag (88 % of the demo campus). Assumption: 2. */
  defaultBuildingLevels: number;
  /** Of the volunteers who do not accept, the share who tap "decline" (the others stay silent). Assumption. */
  explicitDeclineShare: number;
  /** Hour of day (campus time, 0-23) of every drill; undefined: drawn uniformly per drill. */
  hour?: number;
  /** First day (a Monday, `YYYY-MM-DD`) of the week the drills' days are drawn from, uniformly. */
  weekStartsOn: string;
}

export const DEFAULT_SIMULATION_PARAMS: SimulationParams = {
  volunteers: 40,
  acceptProbability: 0.65,
  acceptDelayMedianS: 30,
  acceptDelaySigma: 0.8,
  speedMedianMps: 2.3,
  speedSigma: sigmaFromQuartiles(1.4, 4.0),
  minSpeedMps: 0.7,
  maxSpeedMps: 6,
  strollSpeedMps: 1.3,
  positionIntervalS: 60,
  indoorShare: 0.6,
  defaultBuildingLevels: 2,
  explicitDeclineShare: 0.5,
  // A term week; every demo AED's pads and battery are good through it.
  weekStartsOn: '2026-04-13',
};

/**
 * Defaults overlaid with `overrides` (undefined values ignored), validated.
 * @throws InvalidArgumentError naming the first bad field
 */
export function resolveSimulationParams(overrides: Partial<SimulationParams> = {}): SimulationParams {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const params: SimulationParams = { ...DEFAULT_SIMULATION_PARAMS, ...defined };
  if (!(Number.isInteger(params.volunteers) && params.volunteers >= 0)) throw new InvalidArgumentError(`invalid volunteers ${params.volunteers}`);
  for (const key of ['acceptProbability', 'indoorShare', 'explicitDeclineShare'] as const) {
    if (!(params[key] >= 0 && params[key] <= 1)) throw new InvalidArgumentError(`invalid ${key} ${params[key]}`);
  }
  const positive = ['acceptDelayMedianS', 'speedMedianMps', 'minSpeedMps', 'maxSpeedMps', 'strollSpeedMps', 'defaultBuildingLevels'] as const;
  for (const key of positive) {
    if (!(params[key] > 0 && Number.isFinite(params[key]))) throw new InvalidArgumentError(`invalid ${key} ${params[key]}`);
  }
  for (const key of ['acceptDelaySigma', 'speedSigma', 'positionIntervalS'] as const) {
    if (!(params[key] >= 0 && Number.isFinite(params[key]))) throw new InvalidArgumentError(`invalid ${key} ${params[key]}`);
  }
  if (params.minSpeedMps > params.maxSpeedMps) throw new InvalidArgumentError('minSpeedMps exceeds maxSpeedMps');
  if (params.hour !== undefined && !(Number.isInteger(params.hour) && params.hour >= 0 && params.hour <= 23)) {
    throw new InvalidArgumentError(`invalid hour ${params.hour}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(params.weekStartsOn)) throw new InvalidArgumentError(`invalid weekStartsOn ${params.weekStartsOn}`);
  return params;
}
