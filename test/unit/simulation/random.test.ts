import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, logNormal, sigmaFromQuartiles, weightedIndex } from '../../../api/domain/simulation/random.ts';
import { DEFAULT_SIMULATION_PARAMS, resolveSimulationParams } from '../../../api/domain/simulation/params.ts';
import { quantile, summarizeTimes } from '../../../api/domain/simulation/stats.ts';

describe('createRng', () => {
  it('gives the same numbers for the same seed and others for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((rng) => () => rng.next())(createRng(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives different sub-stream seeds for different labels', () => {
    expect(deriveSeed(42, 'drill', 1)).toBe(deriveSeed(42, 'drill', 1));
    expect(new Set([deriveSeed(42, 'drill', 1), deriveSeed(42, 'drill', 2), deriveSeed(42, 'drill', 12), deriveSeed(43, 'drill', 1)]).size).toBe(4);
  });
});

describe('the speed distribution', () => {
  it('fits sigma to the published quartiles 1.4-4.0 m/s', () => {
    expect(sigmaFromQuartiles(1.4, 4.0)).toBeCloseTo(0.7782, 4);
    expect(DEFAULT_SIMULATION_PARAMS.speedSigma).toBeCloseTo(0.7782, 4);
  });

  it('draws speeds with a median of 2.3 m/s and quartiles near 1.4 and 4.0 m/s', () => {
    const rng = createRng(1);
    const speeds = Array.from({ length: 20_000 }, () => logNormal(rng, 2.3, DEFAULT_SIMULATION_PARAMS.speedSigma)).sort((a, b) => a - b);
    expect(quantile(speeds, 0.5)).toBeCloseTo(2.3, 1);
    expect(quantile(speeds, 0.25)).toBeGreaterThan(1.3);
    expect(quantile(speeds, 0.25)).toBeLessThan(1.5);
    expect(quantile(speeds, 0.75)).toBeGreaterThan(3.7);
    expect(quantile(speeds, 0.75)).toBeLessThan(4.1);
  });
});

describe('weightedIndex', () => {
  it('never picks a zero-weight entry', () => {
    const rng = createRng(3);
    const picks = new Set(Array.from({ length: 500 }, () => weightedIndex(rng, [0, 5, 5, 10])));
    expect(picks).toEqual(new Set([1, 3]));
  });
});

describe('resolveSimulationParams', () => {
  it('rejects an acceptance probability outside [0, 1] by code', () => {
    expect(() => resolveSimulationParams({ acceptProbability: 1.2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('quantile and summarizeTimes', () => {
  it('interpolates between order statistics (type 7)', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 6);
  });

  it('treats never (Infinity) as the slowest time', () => {
    expect(quantile([10, 20, Infinity], 0.5)).toBe(20);
    expect(quantile([10, Infinity, Infinity], 0.5)).toBe(Infinity);
    expect(summarizeTimes([100, 200, 300, Infinity], 240)).toEqual({ medianS: 250, p90S: Infinity, withinBudgetShare: 0.5, neverShare: 0.25 });
  });
});
