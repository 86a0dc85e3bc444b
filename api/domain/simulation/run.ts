/**
 * The Monte-Carlo run: the same seeded drills for every strategy, outcomes per drill, and their
 * summaries. Pure: the caller loads the campus and writes the files.
 */
import { InvalidArgumentError } from '../errors.ts';
import { alertNearest, alertWithinRadius, firstAcceptersFetch, thirdsViaAed, type Strategy } from './baselines.ts';
import type { SimulationCampus } from './campus.ts';
import { campusEdgeSampler, generateDrill, type DrillPatient } from './drill.ts';
import { createEngine } from './legs.ts';
import { ours } from './ours.ts';
import { resolveSimulationParams, type SimulationParams } from './params.ts';
import { summarizeStrategy, type OutcomeTimes, type StrategySummary } from './stats.ts';

export interface StrategyDefinition {
  id: string;
  label: string;
  run: Strategy;
}

/**
 * Ours (roles by the plan's rule among acceptors), ours as today's incident service assigns roles,
 * then the published rules in the order the issue lists them.
 */
export const STRATEGIES: readonly StrategyDefinition[] = [
  { id: 'ours', label: 'Ours (plan rule among acceptors)', run: ours() },
  { id: 'ours-live', label: "Ours, today's incident-service roles", run: ours({ roles: 'live' }) },
  { id: 'radius-400m', label: 'All within 400 m, no AED routing', run: alertWithinRadius(400) },
  { id: 'nearest-3', label: '3 nearest', run: alertNearest(3) },
  { id: 'thirds-1km', label: '<=30 within 1 km: 1/3 direct, 2/3 via AED', run: thirdsViaAed() },
  { id: 'first-4-fetch', label: 'First 4 acceptors fetch AEDs, 5th direct', run: firstAcceptersFetch(4) },
];

export interface DrillRecord {
  index: number;
  at: string;
  hour: number;
  patient: DrillPatient;
  usableAeds: number;
}

export interface StrategyResult {
  id: string;
  label: string;
  /** Parallel to SimulationResult.drills. */
  outcomes: OutcomeTimes[];
  summary: StrategySummary;
}

export interface SimulationResult {
  seed: number;
  params: SimulationParams;
  budgetS: number;
  drills: DrillRecord[];
  strategies: StrategyResult[];
}

export interface RunSimulationInput {
  campus: SimulationCampus;
  drills: number;
  seed: number;
  params?: Partial<SimulationParams>;
  strategies?: readonly StrategyDefinition[];
  /** Called after each drill with the number done. */
  onProgress?(done: number): void;
}

/**
 * Runs every strategy on the same `drills` drills.
 * @throws InvalidArgumentError for a bad drill count or parameter
 */
export function runSimulation(input: RunSimulationInput): SimulationResult {
  if (!(Number.isInteger(input.drills) && input.drills >= 1)) throw new InvalidArgumentError(`invalid drills ${input.drills}`);
  const params = resolveSimulationParams(input.params);
  const strategies = input.strategies ?? STRATEGIES;
  const engine = createEngine(input.campus);
  const sampler = campusEdgeSampler(input.campus);
  const drills: DrillRecord[] = [];
  const outcomes: OutcomeTimes[][] = strategies.map(() => []);
  for (let i = 0; i < input.drills; i++) {
    const drill = generateDrill(input.campus, sampler, params, input.seed, i);
    strategies.forEach((s, k) => {
      const { timeToFirstCprS, timeToAedS, alerted } = s.run(drill, engine);
      outcomes[k].push({ timeToFirstCprS, timeToAedS, alerted });
    });
    drills.push({ index: i, at: drill.at.toISOString(), hour: drill.hour, patient: drill.patient, usableAeds: engine.legs(drill).aeds.length });
    input.onProgress?.(i + 1);
  }
  const budgetS = input.campus.config.budgetS;
  const hours = drills.map((d) => d.hour);
  return {
    seed: input.seed,
    params,
    budgetS,
    drills,
    strategies: strategies.map((s, k) => ({ id: s.id, label: s.label, outcomes: outcomes[k], summary: summarizeStrategy(outcomes[k], hours, budgetS) })),
  };
}
