/**
 * How steady this machine's CPU is, measured before a latency benchmark with nothing else running: a
 * fixed piece of integer work (about 150 µs) timed back to back for a few seconds. On a shared
 * virtual machine a neighbour's load can slow every process here for tens of milliseconds at a time;
 * a request that falls into such a spell takes two or three times as long, and a few of those set a
 * run's p99. Printed beside the figures, so that runs on different machines or days can be read
 * against each other.
 */
import { performance } from 'node:perf_hooks';

export interface HostNoise {
  /** Median and 99th percentile time of one unit of work, in µs. */
  unitP50Us: number;
  unitP99Us: number;
  /** Share of the time spent in units that took more than 1.5 times the median, in %. */
  slowTimePct: number;
  /** Runs of such units lasting 10 ms or more, per minute. */
  slowSpells10MsPerMin: number;
}

/** Integer work that the JIT cannot fold away: `iterations` steps of a linear congruential generator. */
function work(iterations: number): number {
  let x = iterations;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** Times units of `work` for `durationMs`; the first second-or-so of units sizes the unit and warms the JIT. */
export function measureHostNoise(durationMs = 5_000): HostNoise {
  let iterations = 1_000;
  let sink = 0;
  for (let round = 0; round < 20; round++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) sink ^= work(iterations);
    const perUnitUs = ((performance.now() - t) * 1000) / 20;
    iterations = Math.max(1_000, Math.round((iterations * 150) / Math.max(perUnitUs, 1)));
  }
  const durationsUs: number[] = [];
  const end = performance.now() + durationMs;
  for (let t = performance.now(); t < end; ) {
    sink ^= work(iterations);
    const now = performance.now();
    durationsUs.push((now - t) * 1000);
    t = now;
  }
  if (sink === 0.5) console.log(sink); // never: keeps the work observable
  const sorted = [...durationsUs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  let slowUs = 0;
  let spellUs = 0;
  let spells = 0;
  for (const d of [...durationsUs, 0]) {
    if (d > 1.5 * median) {
      slowUs += d;
      spellUs += d;
    } else {
      if (spellUs >= 10_000) spells++;
      spellUs = 0;
    }
  }
  const totalUs = durationsUs.reduce((a, b) => a + b, 0);
  return {
    unitP50Us: Math.round(median),
    unitP99Us: Math.round(sorted[Math.floor(sorted.length * 0.99)]!),
    slowTimePct: Math.round((slowUs / totalUs) * 1000) / 10,
    slowSpells10MsPerMin: Math.round((spells / (totalUs / 60e6)) * 10) / 10,
  };
}
