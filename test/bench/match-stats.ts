/**
 * Small helpers of the match and plan benchmarks: seeded randomness, percentiles, memory, tables.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Figures of one method at one size; every key names its unit. */
export type MethodFigures = Record<string, number | boolean | string | null>;

/** mulberry32: a small, fast, seeded PRNG returning [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** p50 and p99 of durations given in milliseconds, in microseconds. */
export function percentileUs(timesMs: number[]): { p50Us: number; p99Us: number } {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50Us: Math.round(at(0.5) * 10_000) / 10, p99Us: Math.round(at(0.99) * 10_000) / 10 };
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * JS heap plus array buffers after full collections, in MB. Array buffers are freed by a
 * concurrent sweeper, so it collects twice with a pause between.
 */
export async function heapMb(): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1e6;
}

/** Prints one size's figures as an aligned table (method per row). */
export function printTable(title: string, rows: Record<string, unknown>): void {
  const flat: Record<string, MethodFigures> = {};
  for (const [method, figures] of Object.entries(rows)) {
    if (method === 'h3ByRes') {
      for (const [res, f] of Object.entries(figures as Record<string, MethodFigures>)) flat[`h3 res ${res}`] = f;
    } else {
      flat[method] = figures as MethodFigures;
    }
  }
  const columns = [...new Set(Object.values(flat).flatMap((figures) => Object.keys(figures)))];
  const header = ['method', ...columns];
  const lines = Object.entries(flat).map(([method, figures]) => [method, ...columns.map((c) => String(figures[c] ?? ''))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}
