import type { Clock } from '../../api/services/clock.ts';

/** A clock that moves only when told: `advance(ms)` runs the timers that fall due, in order. */
export function createFakeClock(start = new Date('2026-11-30T15:00:00Z')) {
  let nowMs = start.getTime();
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock & { advance(ms: number): Promise<void>; set(at: Date): void; pending(): number } = {
    now: () => new Date(nowMs),
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: nowMs + ms, fn });
      return { cancel: () => timers.delete(id) };
    },
    async advance(ms) {
      const until = nowMs + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        nowMs = due[1].at;
        due[1].fn();
        // Let the timer's async work (database writes) run before the next one.
        await new Promise((r) => setTimeout(r, 50));
      }
      nowMs = until;
    },
    set(at) {
      nowMs = at.getTime();
    },
    pending: () => timers.size,
  };
  return clock;
}
