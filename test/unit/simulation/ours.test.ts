import { describe, expect, it } from 'vitest';
import { ours } from '../../../api/domain/simulation/ours.ts';
import { aed, atLeastAsGood, BASELINES, campusOf, drillOf, engineOf, grid, STRATEGY_RULES, type VolunteerSpec } from './helpers.ts';
import type { AedForPlanning } from '../../../api/domain/types.ts';
import type { WalkwayInput } from '../../../api/domain/walking-graph.ts';
import { at } from './helpers.ts';

const PATIENT = { east: 400, north: 400 };

describe('ours: alerts, reassignment and widening', () => {
  const engine = engineOf(campusOf(grid(8), [aed('A', 0, 400)]));

  it('alerts the planned CPR responder, the runner and enough backups for a 95 % chance at 60 % acceptance', () => {
    const people = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`v${i}`, { east: 100 + (i % 3) * 100, north: 300 + Math.floor(i / 3) * 100 }]));
    const outcome = ours()(drillOf(PATIENT, people), engine);
    // 1 CPR + 1 runner need 2 acceptances; 6 alerts make that 95.9 % likely at p = 0.6.
    expect(outcome.alerted).toBe(6);
    expect(outcome.responders.filter((r) => r.role === 'aed')).toHaveLength(1);
    expect(Number.isFinite(outcome.timeToAedS)).toBe(true);
  });

  it('hands the AED run to the first still-alerted backup when the runner declines (today\'s incident service)', () => {
    const drill = drillOf(PATIENT, {
      cpr: { east: 400, north: 350, delayS: 50 },
      runner: { east: 100, north: 400, delayS: 10, accepts: false },
      backup: { east: 500, north: 400, delayS: 20 },
    });
    const outcome = ours({ roles: 'live' })(drill, engine);
    const byId = Object.fromEntries(outcome.responders.map((r) => [r.volunteerId, r]));
    // Without the promotion the backup, first to accept, with no AED run inside the budget, would take CPR.
    expect(byId.backup.role).toBe('aed');
    expect(byId.backup.aedId).toBe('A');
    expect(byId.cpr.role).toBe('cpr');
  });

  it('widens the search after 45 s when nobody has accepted', () => {
    const drill = drillOf(PATIENT, {
      silent1: { east: 400, north: 300, accepts: false, declines: false },
      silent2: { east: 300, north: 400, accepts: false, declines: false },
      // 700 m away: outside the first wave's 552 m, inside the second's 1104 m.
      farther: { east: 400, north: 1100, delayS: 20 },
    });
    const walkways: WalkwayInput[] = [...grid(8), { coords: [at(400, 800), at(400, 1100)], highway: 'footway', steps: false }];
    const outcome = ours()(drill, engineOf(campusOf(walkways, [aed('A', 0, 400)])));
    expect(outcome.alerted).toBe(3);
    expect(outcome.responders.map((r) => [r.volunteerId, r.startS])).toEqual([['farther', 45 + 20]]);
  });

  it('widens at once when a decline leaves too few alerted to cover both roles', () => {
    const drill = drillOf(PATIENT, {
      no1: { east: 400, north: 300, accepts: false, delayS: 10 },
      no2: { east: 300, north: 400, accepts: false, delayS: 12 },
      farther: { east: 400, north: 1100, delayS: 20 },
    });
    const walkways: WalkwayInput[] = [...grid(8), { coords: [at(400, 800), at(400, 1100)], highway: 'footway', steps: false }];
    const outcome = ours()(drill, engineOf(campusOf(walkways, [aed('A', 0, 400)])));
    // After no1's decline only no2 is left: one person cannot both run for the AED and do CPR.
    expect(outcome.responders.map((r) => [r.volunteerId, r.startS])).toEqual([['farther', 10 + 20]]);
  });

  it('gives the AED run to the acceptor expected to bring it soonest, where today\'s incident service gives it to the first acceptor once CPR is covered', () => {
    const drill = drillOf(PATIENT, {
      cpr: { east: 400, north: 350, delayS: 10 },
      runner: { east: 100, north: 400, delayS: 40 },
      backup: { east: 700, north: 400, delayS: 20 },
    });
    const live = ours({ roles: 'live' })(drill, engine);
    const byId = Object.fromEntries(live.responders.map((r) => [r.volunteerId, r.role]));
    expect(byId).toEqual({ cpr: 'cpr', runner: 'cpr', backup: 'aed' });
    const planned = ours()(drill, engine);
    expect(planned.responders.find((r) => r.role === 'aed')?.volunteerId).toBe('runner');
    expect(planned.timeToAedS).toBeLessThan(live.timeToAedS);
  });
});

describe('ours against the published rules on hand-made cases', () => {
  // A main street (y = 0, 0-800 m) and, 60 m north of it behind a fence, a parallel street that
  // joins it only at its east end: near in a straight line, a long walk away.
  const fenced: WalkwayInput[] = [
    { coords: [at(0, 0), at(200, 0), at(400, 0), at(600, 0), at(800, 0)], highway: 'footway', steps: false },
    { coords: [at(0, 60), at(200, 60), at(400, 60), at(600, 60), at(800, 60)], highway: 'footway', steps: false },
    { coords: [at(800, 0), at(800, 60)], highway: 'footway', steps: false },
  ];
  const cases: { name: string; walkways: WalkwayInput[]; aeds: AedForPlanning[]; patient: { east: number; north: number }; people: Record<string, VolunteerSpec> }[] = [
    {
      name: 'a runner near the AED and a CPR responder near the patient',
      walkways: grid(8),
      aeds: [aed('A', 0, 400)],
      patient: PATIENT,
      people: { near: { east: 400, north: 300, delayS: 25 }, byAed: { east: 0, north: 300, delayS: 35 }, far: { east: 800, north: 800, delayS: 20 }, east: { east: 500, north: 400, delayS: 40 } },
    },
    {
      name: 'a fence: the straight-line nearest are a long walk away',
      walkways: fenced,
      aeds: [aed('A', 400, 0)],
      patient: { east: 0, north: 0 },
      people: { f1: { east: 0, north: 60 }, f2: { east: 50, north: 60, delayS: 25 }, f3: { east: 100, north: 60, delayS: 35 }, street: { east: 300, north: 0, delayS: 40 }, street2: { east: 500, north: 0, delayS: 45 } },
    },
    {
      name: 'the quickest to accept are far from the patient',
      walkways: grid(8),
      aeds: [aed('A', 300, 400), aed('B', 800, 0)],
      patient: PATIENT,
      people: { farA: { east: 0, north: 0, delayS: 8 }, farB: { east: 800, north: 800, delayS: 9 }, farC: { east: 0, north: 800, delayS: 10 }, farD: { east: 800, north: 100, delayS: 11 }, near: { east: 400, north: 450, delayS: 40 }, nearAed: { east: 300, north: 300, delayS: 45 } },
    },
    {
      name: 'the designated runner declines',
      walkways: grid(8),
      aeds: [aed('A', 0, 400)],
      patient: PATIENT,
      people: { cpr: { east: 400, north: 350, delayS: 50 }, runner: { east: 100, north: 400, delayS: 10, accepts: false }, backup: { east: 500, north: 400, delayS: 20 }, other: { east: 700, north: 700, delayS: 30 } },
    },
    {
      name: 'the nearest AED is closed at this hour',
      walkways: grid(8),
      aeds: [aed('closed', 350, 400, { openingHours: 'Mo-Fr 20:00-23:00' }), aed('open', 0, 400)],
      patient: PATIENT,
      people: { a: { east: 400, north: 300, delayS: 30 }, b: { east: 100, north: 300, delayS: 25 }, c: { east: 600, north: 400, delayS: 35 } },
    },
  ];

  for (const c of cases) {
    it(`is never worse than the best baseline: ${c.name}`, () => {
      const engine = engineOf(campusOf(c.walkways, c.aeds));
      const drill = drillOf(c.patient, c.people);
      const mine = STRATEGY_RULES.ours(drill, engine);
      for (const name of BASELINES) {
        const theirs = STRATEGY_RULES[name](drill, engine);
        expect(atLeastAsGood(mine, theirs), `${name}: ours ${mine.timeToFirstCprS.toFixed(0)}/${mine.timeToAedS.toFixed(0)} s, theirs ${theirs.timeToFirstCprS.toFixed(0)}/${theirs.timeToAedS.toFixed(0)} s`).toBe(true);
      }
    });
  }

  it('never sends a runner to an AED that is closed at the hour of the drill', () => {
    const c = cases[4];
    const engine = engineOf(campusOf(c.walkways, c.aeds));
    const drill = drillOf(c.patient, c.people);
    for (const run of Object.values(STRATEGY_RULES)) {
      expect(run(drill, engine).responders.every((r) => r.aedId !== 'closed')).toBe(true);
    }
  });
});
