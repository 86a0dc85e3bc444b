import { describe, expect, it } from 'vitest';
import { alertNearest, alertWithinRadius, firstAcceptersFetch, thirdsViaAed } from '../../../api/domain/simulation/baselines.ts';
import { aed, campusOf, drillOf, engineOf, grid } from './helpers.ts';

// An 800 m x 800 m street grid with 100 m blocks; the patient is in the middle at (400, 400).
const PATIENT = { east: 400, north: 400 };
const walkSpeedMps = 2.3;

describe('alertWithinRadius (everyone within 400 m, no AED routing)', () => {
  const engine = engineOf(campusOf(grid(8), [aed('A', 0, 400)]));

  it('alerts exactly the volunteers within 400 m and sends every acceptor straight to the patient', () => {
    const drill = drillOf(PATIENT, {
      near: { east: 400, north: 300 },
      decliner: { east: 100, north: 400, accepts: false },
      edge: { east: 400, north: 750 },
      outside: { east: 800, north: 800 },
      farAway: { east: 0, north: 0 },
    });
    const outcome = alertWithinRadius(400)(drill, engine);
    expect(outcome.alerted).toBe(3);
    expect(outcome.responders.map((r) => [r.volunteerId, r.role])).toEqual([['near', 'cpr'], ['edge', 'cpr']]);
    expect(outcome.timeToFirstCprS).toBeCloseTo(30 + 100 / walkSpeedMps, 0);
    expect(outcome.timeToAedS).toBe(Infinity);
  });
});

describe('alertNearest (the 3 nearest)', () => {
  const engine = engineOf(campusOf(grid(8), [aed('A', 0, 400)]));

  it('alerts the 3 nearest by straight line, does not replace a decliner, and routes nobody via an AED', () => {
    const drill = drillOf(PATIENT, {
      first: { east: 400, north: 300, accepts: false },
      second: { east: 100, north: 400 },
      third: { east: 400, north: 750 },
      fourth: { east: 800, north: 800 },
    });
    const outcome = alertNearest(3)(drill, engine);
    expect(outcome.alerted).toBe(3);
    expect(outcome.responders.map((r) => r.volunteerId).sort()).toEqual(['second', 'third']);
    expect(outcome.responders.every((r) => r.role === 'cpr')).toBe(true);
    expect(outcome.timeToAedS).toBe(Infinity);
  });
});

describe('thirdsViaAed (up to 30 within 1 km: one third direct, two thirds via an AED)', () => {
  const engine = engineOf(campusOf(grid(8), [aed('A', 0, 400)]));

  it('sends distance ranks 0, 3, 6 straight to the patient and the others via the AED', () => {
    const people = Object.fromEntries([50, 100, 150, 200, 250, 300, 350].map((d, rank) => [`r${rank}`, { east: 400, north: 400 - d }]));
    const drill = drillOf(PATIENT, { ...people, beyond1km: { east: 1500, north: 400 } });
    const outcome = thirdsViaAed()(drill, engine);
    expect(outcome.alerted).toBe(7);
    const roles = Object.fromEntries(outcome.responders.map((r) => [r.volunteerId, r.role]));
    expect(roles).toEqual({ r0: 'cpr', r1: 'aed', r2: 'aed', r3: 'cpr', r4: 'aed', r5: 'aed', r6: 'cpr' });
    // One cabinet, five runners: one brings the AED, the others arrive empty-handed.
    const brought = outcome.responders.filter((r) => r.broughtAed);
    expect(brought).toHaveLength(1);
    expect(outcome.timeToAedS).toBe(brought[0].atPatientS);
  });

  it('alerts at most 30, nearest first', () => {
    const people = Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`v${String(i).padStart(2, '0')}`, { east: (i % 8) * 100, north: 100 + Math.floor(i / 8) * 100 }]));
    expect(thirdsViaAed()(drillOf(PATIENT, people), engine).alerted).toBe(30);
  });
});

describe('firstAcceptersFetch (the first 4 who accept fetch AEDs, the fifth goes to the patient)', () => {
  const engine = engineOf(campusOf(grid(8), [aed('A', 0, 400), aed('B', 800, 400)]));

  it('gives roles in the order of acceptance and stands the later acceptors down', () => {
    const drill = drillOf(PATIENT, {
      declinesFirst: { east: 400, north: 350, delayS: 5, accepts: false },
      a: { east: 400, north: 300, delayS: 60 },
      b: { east: 300, north: 400, delayS: 10 },
      c: { east: 500, north: 400, delayS: 20 },
      d: { east: 400, north: 500, delayS: 30 },
      e: { east: 400, north: 200, delayS: 40 },
      f: { east: 600, north: 400, delayS: 50 },
    });
    const outcome = firstAcceptersFetch(4)(drill, engine);
    expect(outcome.alerted).toBe(7);
    const roles = Object.fromEntries(outcome.responders.map((r) => [r.volunteerId, r.role]));
    expect(roles).toEqual({ b: 'aed', c: 'aed', d: 'aed', e: 'aed', f: 'cpr' });
    // Each runner goes to the AED expected soonest for them: west of the patient to A, east to B.
    const aedOf = Object.fromEntries(outcome.responders.map((r) => [r.volunteerId, r.aedId]));
    expect(aedOf.b).toBe('A');
    expect(aedOf.c).toBe('B');
  });

  it('lets the first runner at a cabinet take the AED; a later one arrives empty-handed', () => {
    const drill = drillOf(PATIENT, {
      slow: { east: 100, north: 400, delayS: 10, speedMps: 1 },
      quick: { east: 200, north: 400, delayS: 12, speedMps: 4 },
    });
    const outcome = firstAcceptersFetch(4)(drill, engine);
    const byId = Object.fromEntries(outcome.responders.map((r) => [r.volunteerId, r]));
    expect(byId.quick.broughtAed).toBe(true);
    expect(byId.slow.broughtAed).toBe(false);
    // quick: 12 s + 200 m at 4 m/s to the cabinet + 30 s retrieval + 400 m at 4 m/s back.
    expect(outcome.timeToAedS).toBeCloseTo(12 + 200 / 4 + 30 + 400 / 4, 0);
  });
});
