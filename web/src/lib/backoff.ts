/** Retry timing shared by the SOS sender and the WebSocket client. */
export interface BackoffOptions {
  /** First delay, ms. */
  baseMs: number;
  /** Largest delay, ms: on a bad network someone is waiting, so never long. */
  capMs: number;
}

/**
 * The delay before retry number `attempt` (0 = first retry): exponential, capped, with "full jitter"
 * between half and all of it, so that phones that lost the network together do not return together.
 * @param random a number in [0, 1) (Math.random by default; tests pass a fixed one)
 * @returns milliseconds, within [capped/2, capped]
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: number = Math.random()): number {
  const exp = options.baseMs * 2 ** Math.max(0, Math.min(attempt, 20));
  const capped = Math.min(options.capMs, exp);
  return Math.round(capped / 2 + (capped / 2) * random);
}
