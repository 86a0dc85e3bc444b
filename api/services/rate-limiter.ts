import { RateLimitedError } from '../errors.ts';
import type { Clock } from './clock.ts';

export interface RateLimiter {
  /** Takes one token for `key`. @throws RateLimitedError when the key's bucket is empty. */
  take(key: string, message: string): void;
  /** Takes nothing. @throws RateLimitedError when the key's bucket is empty (e.g. before costly work). */
  check(key: string, message: string): void;
}

/**
 * A token bucket per key: `burst` at once, refilled at `perMinute`. In memory, per API process:
 * a flood from one client is stopped without blocking anyone else.
 */
export function createRateLimiter(options: { burst: number; perMinute: number; clock: Clock; maxKeys?: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  const perMs = options.perMinute / 60_000;

  /** The key's bucket refilled to now; throws when it holds less than one token. */
  function refilled(key: string, message: string) {
    const now = options.clock.now().getTime();
    const bucket = buckets.get(key) ?? { tokens: options.burst, at: now };
    bucket.tokens = Math.min(options.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) throw new RateLimitedError(message, (1 - bucket.tokens) / perMs / 1000);
    return bucket;
  }

  return {
    take(key, message) {
      const bucket = refilled(key, message);
      bucket.tokens -= 1;
      buckets.delete(key);
      buckets.set(key, bucket);
      // Forget the least recently used keys so a spoofed-key flood cannot exhaust memory.
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    },
    check(key, message) {
      refilled(key, message);
    },
  };
}
