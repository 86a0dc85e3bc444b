import { execFile } from 'node:child_process';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { exposeGc, setOldGenerationGrowth, startIdleScavenger, type IdleScavenger } from '../../../api/idle-scavenger.ts';

/** Start times of the young-generation collections that happen while `run` runs. */
async function minorCollectionsDuring(run: () => Promise<void>): Promise<number[]> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) starts.push(e.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await run();
    await sleep(20); // entries arrive after the collection
  } finally {
    observer.disconnect();
  }
  return starts;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Short-lived objects until the young generation is more than half full (or a scavenge empties it first). */
function fillYoung(): void {
  const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!;
  let sink: unknown[] = [];
  for (let i = 0; i < 2_000_000 && young().space_used_size <= young().space_available_size; i++) {
    for (let j = 0; j < 200; j++) sink.push({ i, j });
    sink = [];
  }
}

describe('idle scavenger', () => {
  let scavenger: IdleScavenger | undefined;
  afterEach(() => scavenger?.stop());

  it('collects a young generation more than half full once the event loop is idle', async () => {
    scavenger = startIdleScavenger({ intervalMs: 10 });
    await sleep(30); // a first interval to measure idleness from
    // It may have collected already (the test file's own loading can fill half the young generation).
    const before = scavenger.runs;
    let filled = 0;
    const collections = await minorCollectionsDuring(async () => {
      fillYoung();
      filled = performance.now();
      for (let waited = 0; scavenger!.runs === before && waited < 2_000; waited += 10) await sleep(10);
    });
    expect(scavenger.runs).toBeGreaterThan(before);
    // Not one V8 ran on its own while filling: one after, while the test only slept.
    expect(collections.filter((start) => start >= filled).length).toBeGreaterThan(0);
  });

  it('leaves a busy event loop alone', async () => {
    scavenger = startIdleScavenger({ intervalMs: 10, maxUtilization: 0.5 });
    await sleep(30);
    const runs = scavenger.runs;
    // Busy for 300 ms with short breaks: the timer fires, but each interval was mostly work.
    const end = Date.now() + 300;
    while (Date.now() < end) {
      const slice = Date.now() + 20;
      while (Date.now() < slice) fillYoung();
      await new Promise((r) => setImmediate(r));
    }
    expect(scavenger.runs).toBe(runs);
  });

  it('waits while work is under way, however quiet the loop, and collects once it is done', async () => {
    let working = true;
    scavenger = startIdleScavenger({ intervalMs: 10, busy: () => working });
    await sleep(30);
    fillYoung();
    await sleep(100); // a request waiting on the database: the loop is idle, the work is not
    expect(scavenger.runs).toBe(0);
    working = false;
    for (let waited = 0; scavenger.runs === 0 && waited < 2_000; waited += 10) await sleep(10);
    expect(scavenger.runs).toBeGreaterThan(0);
  });

  it('does nothing while the young generation is mostly free', async () => {
    scavenger = startIdleScavenger({ intervalMs: 10 });
    exposeGc()({ type: 'minor' });
    await sleep(100);
    expect(scavenger.runs).toBe(0);
  });
});

/**
 * Full collections in a fresh process that keeps ~60 MB alive and promotes ~300 MB of short-lived
 * garbage to the old generation, with the given growth setting (set at run time, as the server does).
 */
async function majorCollectionsWithGrowth(percent: number): Promise<number> {
  const moduleUrl = new URL('../../../api/idle-scavenger.ts', import.meta.url).href;
  const script = `
    import { constants, PerformanceObserver } from 'node:perf_hooks';
    import { exposeGc, setOldGenerationGrowth } from ${JSON.stringify(moduleUrl)};
    setOldGenerationGrowth(${percent});
    const gc = exposeGc();
    let majors = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
    }).observe({ entryTypes: ['gc'] });
    const live = Array.from({ length: 1_500_000 }, (_, i) => ({ i }));
    for (let round = 0; round < 300; round++) {
      let garbage = Array.from({ length: 25_000 }, (_, i) => ({ round, i }));
      gc({ type: 'minor' });
      gc({ type: 'minor' }); // survived twice: promoted
      garbage = null;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(JSON.stringify({ majors, live: live.length }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { majors: number }).majors;
}

describe('old-generation growth', () => {
  it('takes effect at run time: far fewer full collections when the heap may grow more', async () => {
    const [tight, loose] = await Promise.all([majorCollectionsWithGrowth(10), majorCollectionsWithGrowth(400)]);
    // Measured here: 14 against 2.
    expect(tight).toBeGreaterThan(8);
    expect(loose * 3).toBeLessThan(tight);
  });

  it('refuses a growth that is not a positive whole percentage', () => {
    for (const bad of [0, -5, 1.5, Number.NaN]) expect(() => setOldGenerationGrowth(bad)).toThrow('invalid old-generation growth');
  });
});
