import { getHeapSpaceStatistics } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { exposeGc, startIdleScavenger, type IdleScavenger } from '../../../api/idle-scavenger.ts';

const youngUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
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
    fillYoung();
    const before = youngUsed();
    for (let waited = 0; scavenger.runs === 0 && waited < 2_000; waited += 10) await sleep(10);
    expect(scavenger.runs).toBeGreaterThan(0);
    expect(youngUsed()).toBeLessThan(before);
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

  it('does nothing while the young generation is mostly free', async () => {
    scavenger = startIdleScavenger({ intervalMs: 10 });
    exposeGc()({ type: 'minor' });
    await sleep(100);
    expect(scavenger.runs).toBe(0);
  });
});
