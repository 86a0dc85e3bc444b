/**
 * The CPR metronome: 110 compressions a minute, the middle of the 100–120 guideline range
 * (AHA 2020 / ERC 2021 / 中国心肺复苏专家共识). Sound is scheduled on the audio clock ahead of time so
 * that a busy main thread on a cheap phone does not make the beat stumble; the visual beat follows.
 */
export const CPR_RATE_PER_MIN = 110;
export const CPR_MIN_RATE_PER_MIN = 100;
export const CPR_MAX_RATE_PER_MIN = 120;

/**
 * Milliseconds between beats at a rate.
 * @throws RangeError outside 100–120 a minute: any other rate would teach the wrong rhythm
 */
export function beatIntervalMs(ratePerMin: number = CPR_RATE_PER_MIN): number {
  if (!(ratePerMin >= CPR_MIN_RATE_PER_MIN && ratePerMin <= CPR_MAX_RATE_PER_MIN)) {
    throw new RangeError(`CPR rate must be ${CPR_MIN_RATE_PER_MIN}-${CPR_MAX_RATE_PER_MIN} a minute, got ${ratePerMin}`);
  }
  return 60_000 / ratePerMin;
}

/**
 * The beats of a metronome started at `startMs` that fall in [fromMs, toMs), as beat index and time.
 * Beat 0 is at `startMs`. Times are on the caller's clock (ms).
 */
export function beatsInWindow(startMs: number, intervalMs: number, fromMs: number, toMs: number): { index: number; atMs: number }[] {
  const first = Math.max(0, Math.ceil((fromMs - startMs) / intervalMs - 1e-9));
  const beats: { index: number; atMs: number }[] = [];
  for (let i = first; ; i++) {
    const atMs = startMs + i * intervalMs;
    if (atMs >= toMs) break;
    beats.push({ index: i, atMs });
  }
  return beats;
}

export interface MetronomeOptions {
  ratePerMin?: number;
  /** Called on each beat (for the visual pulse and the count), close to the sound. */
  onBeat(index: number): void;
  /** Web Audio context, created in a tap handler (browsers allow sound only after a gesture). */
  audio?: AudioContext | null;
  /** How far ahead sound is scheduled, ms. */
  lookaheadMs?: number;
  /** How often the scheduler wakes, ms. */
  tickMs?: number;
}

export interface Metronome {
  start(): void;
  stop(): void;
  setSound(on: boolean): void;
}

/** A lookahead-scheduled metronome (the "tale of two clocks" pattern). */
export function createMetronome(options: MetronomeOptions): Metronome {
  const intervalMs = beatIntervalMs(options.ratePerMin);
  const lookaheadMs = options.lookaheadMs ?? 120;
  const tickMs = options.tickMs ?? 25;
  let timer: ReturnType<typeof setInterval> | null = null;
  let startMs = 0;
  let scheduledUntil = 0;
  let sound = true;
  const pending = new Set<ReturnType<typeof setTimeout>>();

  function click(atMs: number, index: number) {
    const ctx = options.audio;
    if (!ctx || !sound || ctx.state === 'closed') return;
    const when = ctx.currentTime + Math.max(0, (atMs - performance.now()) / 1000);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    // A short, bright click; every 30th beat lower, marking a cycle of 30 compressions.
    osc.frequency.value = index % 30 === 0 ? 660 : 1320;
    gain.gain.setValueAtTime(0.0001, when);
    gain.gain.exponentialRampToValueAtTime(0.9, when + 0.005);
    gain.gain.exponentialRampToValueAtTime(0.0001, when + 0.07);
    osc.connect(gain).connect(ctx.destination);
    osc.start(when);
    osc.stop(when + 0.08);
  }

  function tick() {
    const now = performance.now();
    for (const beat of beatsInWindow(startMs, intervalMs, scheduledUntil, now + lookaheadMs)) {
      click(beat.atMs, beat.index);
      const handle = setTimeout(() => {
        pending.delete(handle);
        options.onBeat(beat.index);
      }, Math.max(0, beat.atMs - now));
      pending.add(handle);
    }
    scheduledUntil = now + lookaheadMs;
  }

  return {
    start() {
      if (timer) return;
      void options.audio?.resume?.();
      startMs = performance.now() + 50;
      scheduledUntil = startMs;
      tick();
      timer = setInterval(tick, tickMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const h of pending) clearTimeout(h);
      pending.clear();
    },
    setSound(on) {
      sound = on;
    },
  };
}
