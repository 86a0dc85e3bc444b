import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type MinorGc = (options: { type: 'minor' }) => void;

export interface IdleScavengerOptions {
  /** How often to look, in ms. Default 50. */
  intervalMs?: number;
  /** Idle means the event loop was busy at most this share of the last interval. Default 0.5. */
  maxUtilization?: number;
  /**
   * Whether work is under way that the loop may be merely waiting on (a request awaiting the
   * database): not idle then, however quiet the loop was.
   */
  busy?: () => boolean;
}

export interface IdleScavenger {
  /** Young-generation collections run while idle so far. */
  readonly runs: number;
  stop(): void;
}

/**
 * Collects the young generation while the process is idle, so that an SOS seldom pays for it.
 *
 * V8 collects its young generation when the space fills up, wherever the program is then. An SOS
 * allocates 2-4 MB (reads, plan, statements, frames) in a young generation that fills every 12-18 MB,
 * so about one SOS in five was stopped mid-way for the collection, 5-8 ms on this machine: it copies
 * whatever is alive, and mid-SOS that is everything the SOS holds (`npm run bench -- sos`, GC entries
 * against alert times). Run between SOS, the same collection finds little alive, and the next SOS
 * starts with the young generation at least half empty. Browsers do this in idle time; Node has no
 * idle-time GC, so this does it: every `intervalMs`, when the event loop was mostly idle and the
 * young generation is more than half full, collect it (a minor GC, typically a few ms here and far
 * less on an idle server). The old generation is left to V8: a full collection in idle time would
 * block for the whole of it.
 *
 * A quiet loop is not enough: an SOS spends a third of its time waiting on the database, and the
 * collection then ran in the middle of it about as often as by chance (31 of 300 SOS overlapped
 * one), pausing it and copying everything it held. `busy` (requests in flight) holds the
 * collection back until the work is done: 1 of 300 then. (The old generation still grows about as
 * fast, from a source not found yet; see setOldGenerationGrowth.)
 *
 * Needs V8's gc() function, which the process exposes to itself here (--expose-gc set at run time).
 */
export function startIdleScavenger(options: IdleScavengerOptions = {}): IdleScavenger {
  const intervalMs = options.intervalMs ?? 50;
  const maxUtilization = options.maxUtilization ?? 0.5;
  const busy = options.busy ?? (() => false);
  const gc = exposeGc();
  let runs = 0;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (utilization > maxUtilization || busy()) return;
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!young || young.space_used_size <= young.space_available_size) return;
    gc({ type: 'minor' });
    runs++;
  }, intervalMs);
  timer.unref();
  return {
    get runs() {
      return runs;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * How far the old generation may grow past what the last full collection kept before V8 starts the
 * next one, in percent (V8's `--heap-growing-percent`; it is read at each collection, so setting it
 * at run time works).
 *
 * V8 picks the factor itself, and under an SOS load it picked 1.1: with ~1 MB a second promoted
 * (`--trace-gc-nvp`, 10,000 volunteers), a full collection came every ~10 s and its incremental
 * marking took 50-70 ms of the main thread in steps of up to 16 ms, delaying whatever SOS fell in
 * it. At 100 (the heap may double first) it comes every ~80 s at that rate; the price is memory that
 * is garbage for longer, at most the live heap again.
 */
export function setOldGenerationGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent <= 0) throw new Error(`invalid old-generation growth ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** V8's gc(), exposed to this process: the flag takes effect for contexts created after it is set. */
export function exposeGc(): MinorGc {
  const existing = (globalThis as { gc?: MinorGc }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as MinorGc;
}
