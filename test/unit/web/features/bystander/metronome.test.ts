import { describe, expect, it } from 'vitest';
import { beatIntervalMs, beatsInWindow, CPR_RATE_PER_MIN } from '../../../../../web/src/features/bystander/metronome.ts';

describe('beatIntervalMs', () => {
  it('beats at 110 a minute by default, inside the 100-120 guideline', () => {
    expect(CPR_RATE_PER_MIN).toBeGreaterThanOrEqual(100);
    expect(CPR_RATE_PER_MIN).toBeLessThanOrEqual(120);
    expect(beatIntervalMs()).toBeCloseTo(545.45, 2);
    expect(beatIntervalMs(100)).toBe(600);
    expect(beatIntervalMs(120)).toBe(500);
  });

  it('refuses a rate that would teach the wrong rhythm', () => {
    for (const rate of [99, 121, 0, Number.NaN]) expect(() => beatIntervalMs(rate)).toThrow(RangeError);
  });
});

describe('beatsInWindow', () => {
  it('puts 110 beats in one minute, evenly spaced, beat 0 at the start', () => {
    const interval = beatIntervalMs(110);
    const beats = beatsInWindow(1_000, interval, 1_000, 61_000);
    expect(beats).toHaveLength(110);
    expect(beats[0]).toEqual({ index: 0, atMs: 1_000 });
    for (let i = 1; i < beats.length; i++) expect(beats[i]!.atMs - beats[i - 1]!.atMs).toBeCloseTo(interval, 6);
  });

  it('schedules every beat exactly once across consecutive lookahead windows', () => {
    const interval = beatIntervalMs(110);
    const seen: number[] = [];
    let from = 0;
    for (let to = 37; to <= 10_000; to += 37) {
      seen.push(...beatsInWindow(0, interval, from, to).map((b) => b.index));
      from = to;
    }
    expect(seen).toEqual([...Array(Math.ceil(10_000 / interval)).keys()]);
  });

  it('has no beats before the start', () => {
    expect(beatsInWindow(5_000, 500, 0, 4_999)).toEqual([]);
  });
});
