import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aed, atLeastAsGood, BASELINES, campusOf, drillOf, engineOf, grid, STRATEGY_RULES, type VolunteerSpec } from './helpers.ts';

// A 400 m x 400 m grid with the patient in the middle: everyone is inside the first wave's radius.
const spot = fc.record({ east: fc.integer({ min: 0, max: 8 }).map((i) => i * 50), north: fc.integer({ min: 0, max: 4 }).map((i) => i * 100) });

describe('ours against the published rules on random small cases', () => {
  it('is never worse than any baseline when people behave as planned (all accept after 30 s, run at 2.3 m/s)', () => {
    fc.assert(
      fc.property(fc.array(spot, { minLength: 1, maxLength: 8 }), fc.array(spot, { minLength: 1, maxLength: 3 }), (people, aeds) => {
        const engine = engineOf(campusOf(grid(4), aeds.map((p, i) => aed(`A${i}`, p.north, p.east))));
        const drill = drillOf({ east: 200, north: 200 }, Object.fromEntries(people.map((p, i): [string, VolunteerSpec] => [`v${i}`, p])));
        const mine = STRATEGY_RULES.ours(drill, engine);
        for (const name of BASELINES) expect(atLeastAsGood(mine, STRATEGY_RULES[name](drill, engine)), name).toBe(true);
      }),
      { numRuns: 150, seed: 20260415 },
    );
  });

  it('sends at most one runner per AED and never counts an AED that was not brought', () => {
    const person = fc.record({ east: spot.map((p) => p.east), north: spot.map((p) => p.north), accepts: fc.boolean(), delayS: fc.integer({ min: 5, max: 120 }), speedMps: fc.double({ min: 0.7, max: 6, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(person, { minLength: 1, maxLength: 10 }), (people) => {
        const engine = engineOf(campusOf(grid(4), [aed('A', 0, 200), aed('B', 400, 200)]));
        const drill = drillOf({ east: 200, north: 200 }, Object.fromEntries(people.map((p, i) => [`v${i}`, p])));
        for (const run of Object.values(STRATEGY_RULES)) {
          const o = run(drill, engine);
          const brought = o.responders.filter((r) => r.broughtAed);
          expect(new Set(brought.map((r) => r.aedId)).size).toBe(brought.length);
          expect(o.timeToAedS).toBe(Math.min(Infinity, ...brought.map((r) => r.atPatientS)));
          expect(o.timeToFirstCprS).toBeLessThanOrEqual(o.timeToAedS);
          expect(o.responders.every((r) => r.startS >= 5)).toBe(true);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
