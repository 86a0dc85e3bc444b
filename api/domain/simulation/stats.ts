/**
 * Aggregates of many drills' outcomes. Times are seconds after the SOS; Infinity (nobody came, no
 * AED was brought) is a value like any other: it sorts last, so a median can be Infinity.
 */
import type { DrillOutcome } from './movement.ts';

/** The outcome numbers that are kept per drill. */
export type OutcomeTimes = Pick<DrillOutcome, 'timeToFirstCprS' | 'timeToAedS' | 'alerted'>;

export interface TimeSummary {
  medianS: number;
  p90S: number;
  /** Share of drills at or under the budget. */
  withinBudgetShare: number;
  /** Share of drills where it never happened (Infinity). */
  neverShare: number;
}

export interface StrategySummary {
  drills: number;
  firstCpr: TimeSummary;
  aed: TimeSummary;
  meanAlerted: number;
  /** Share of drills with the AED within the budget, by the campus hour of the SOS (null: no drill that hour). */
  aedWithinBudgetByHour: (number | null)[];
}

/**
 * Quantile by linear interpolation between order statistics (R's type 7). An interpolation that
 * touches Infinity is Infinity. NaN for an empty sample.
 * @param sorted ascending
 * @param q in [0, 1]
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  if (lo === hi) return sorted[lo];
  if (!Number.isFinite(sorted[hi])) return Infinity;
  return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
}

/** Median, 90th percentile and shares of one time across drills. */
export function summarizeTimes(timesS: readonly number[], budgetS: number): TimeSummary {
  const sorted = [...timesS].sort((a, b) => a - b);
  const n = Math.max(1, sorted.length);
  return {
    medianS: quantile(sorted, 0.5),
    p90S: quantile(sorted, 0.9),
    withinBudgetShare: sorted.filter((t) => t <= budgetS).length / n,
    neverShare: sorted.filter((t) => !Number.isFinite(t)).length / n,
  };
}

/**
 * The table's numbers for one strategy.
 * @param hours the campus hour of each drill, parallel to `outcomes`
 */
export function summarizeStrategy(outcomes: readonly OutcomeTimes[], hours: readonly number[], budgetS: number): StrategySummary {
  const byHour = Array.from({ length: 24 }, () => ({ n: 0, within: 0 }));
  outcomes.forEach((o, i) => {
    const slot = byHour[hours[i]];
    slot.n++;
    if (o.timeToAedS <= budgetS) slot.within++;
  });
  return {
    drills: outcomes.length,
    firstCpr: summarizeTimes(outcomes.map((o) => o.timeToFirstCprS), budgetS),
    aed: summarizeTimes(outcomes.map((o) => o.timeToAedS), budgetS),
    meanAlerted: outcomes.reduce((sum, o) => sum + o.alerted, 0) / Math.max(1, outcomes.length),
    aedWithinBudgetByHour: byHour.map((h) => (h.n === 0 ? null : h.within / h.n)),
  };
}
