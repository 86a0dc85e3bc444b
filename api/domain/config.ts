/**
 * Dispatch configuration with documented defaults (DESIGN.md, "Geography and time" and
 * "Dispatch plan"). Every duration is in seconds, every speed in m/s.
 */
import { InvalidArgumentError } from './errors.ts';
import { assertTravelOptions, DEFAULT_TRAVEL_OPTIONS, type TravelOptions } from './walking-graph.ts';

export interface DispatchConfig extends TravelOptions {
  /** Time from the alert to a volunteer setting off (notice, read, accept). */
  acceptDelayS: number;
  /** Time to take an AED out of its cabinet. */
  aedRetrievalS: number;
  /** Extra time to find an indoor AED (doors, corridors). */
  indoorRetrievalExtraS: number;
  /** Stairs time per floor for a hurrying person (about 3.5 m of height, ~20 steps). */
  stairSecondsPerFloor: number;
  /** From the SOS to first compressions and to the AED at the patient. */
  budgetS: number;
  /** Volunteers whose last position is older than this are not planned. */
  positionMaxAgeS: number;
  /** How many volunteers to send straight to the patient for CPR. */
  cprResponders: number;
  /** Chance that an alerted volunteer accepts. */
  acceptProbability: number;
  /** Alert enough volunteers that all planned roles are filled with at least this chance. */
  targetAcceptProbability: number;
  /** Never alert more volunteers than this for one plan (planned roles included). */
  maxAlerted: number;
  /** How many usable AEDs to list for the bystander. */
  nearestAedsLimit: number;
  /** Route at least this many AEDs (nearest by lower bound) even when pruning could stop sooner, for backups. */
  minAedCandidates: number;
  /** IANA time zone of the campus, for opening hours and expiry dates; default the process's zone. */
  timezone?: string;
  /** The campus grants its volunteers AEDs tagged access=private/no. */
  allowPrivateAeds: boolean;
  /** Country and state of the campus, for holiday and sun-based opening hours. */
  region?: { countryCode: string; state?: string };
}

export const DEFAULT_DISPATCH_CONFIG: DispatchConfig = {
  ...DEFAULT_TRAVEL_OPTIONS,
  // Reading the alert and tapping accept; DESIGN.md lists it as its own delay. An estimate, not a measurement.
  acceptDelayS: 30,
  // Opening a wall cabinet and taking the AED out.
  aedRetrievalS: 30,
  // Finding an AED inside a building: doors, corridors, a reception desk.
  indoorRetrievalExtraS: 30,
  // An estimate: ~20 steps and a landing per floor for a hurrying adult, rounded up to 15 s.
  stairSecondsPerFloor: 15,
  // DESIGN.md: 240 s from the SOS to first compressions and to the AED at the patient.
  budgetS: 240,
  // Two minutes: a phone that has not reported since is likely asleep or out of coverage.
  positionMaxAgeS: 120,
  cprResponders: 1,
  // Published acceptance is 50-85 % (DESIGN.md); plan for the low side.
  acceptProbability: 0.6,
  targetAcceptProbability: 0.95,
  maxAlerted: 10,
  nearestAedsLimit: 3,
  minAedCandidates: 3,
  allowPrivateAeds: false,
};

/**
 * Defaults overlaid with `overrides`, validated.
 * @throws InvalidArgumentError naming the first bad field
 */
export function resolveDispatchConfig(overrides: Partial<DispatchConfig> = {}): DispatchConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config: DispatchConfig = { ...DEFAULT_DISPATCH_CONFIG, ...defined };
  assertTravelOptions(config);
  const nonNegative = ['acceptDelayS', 'aedRetrievalS', 'indoorRetrievalExtraS', 'stairSecondsPerFloor', 'budgetS', 'positionMaxAgeS'] as const;
  for (const key of nonNegative) {
    if (!(config[key] >= 0 && Number.isFinite(config[key]))) throw new InvalidArgumentError(`invalid ${key} ${config[key]}`);
  }
  const counts = ['cprResponders', 'maxAlerted', 'nearestAedsLimit', 'minAedCandidates'] as const;
  for (const key of counts) {
    if (!(Number.isInteger(config[key]) && config[key] >= 0)) throw new InvalidArgumentError(`invalid ${key} ${config[key]}`);
  }
  for (const key of ['acceptProbability', 'targetAcceptProbability'] as const) {
    if (!(config[key] > 0 && config[key] <= 1)) throw new InvalidArgumentError(`invalid ${key} ${config[key]}`);
  }
  return config;
}
