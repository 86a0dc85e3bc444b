/**
 * Seeded pseudo-random numbers for the drill simulator: the same seed gives the same drills on every
 * machine (no Math.random). mulberry32 is small, fast and passes the statistical tests that matter
 * for a Monte-Carlo of a few thousand draws; it is not for anything secret.
 */
import { InvalidArgumentError } from '../errors.ts';

/** A stream of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/** mulberry32 over a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed | 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * A seed for an independent sub-stream, e.g. `deriveSeed(seed, 'drill', 7, 'volunteer', 3)`. Sub-streams
 * keep one volunteer's draws the same when another parameter (the number of volunteers) changes.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  // FNV-1a over the labels, then murmur3's finaliser to spread the bits.
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const label of labels) {
    for (const ch of `${label}\u0000`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.next();
}

/** Uniform integer in [0, n). @throws InvalidArgumentError unless n is a positive integer */
export function randomIndex(rng: Rng, n: number): number {
  if (!(Number.isInteger(n) && n > 0)) throw new InvalidArgumentError(`invalid count ${n}`);
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** Standard normal by Box-Muller (one of the pair; simple beats fast here). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Log-normal draw: exp(N(ln median, sigma^2)).
 * @param median the distribution's median, in the caller's unit
 * @param sigma standard deviation of the logarithm
 */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/**
 * The log-normal sigma whose quartiles are `q1` and `q3`: ln(q3 / q1) / (2 x 0.6745), 0.6745 being the
 * standard normal's upper quartile.
 */
export function sigmaFromQuartiles(q1: number, q3: number): number {
  return Math.log(q3 / q1) / (2 * 0.6744897501960817);
}

/**
 * Index drawn with probability proportional to its weight, given the running sums of the weights.
 * @throws InvalidArgumentError when the weights sum to zero
 */
export function weightedIndex(rng: Rng, cumulative: Float64Array | number[]): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (!(total > 0)) throw new InvalidArgumentError('weights sum to zero');
  const target = rng.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
