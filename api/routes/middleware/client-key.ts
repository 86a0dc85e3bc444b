import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client key for rate limits: the peer address. Behind a reverse proxy every client has the
 * proxy's address, so the proxy must be the one to limit (or pass the address some trusted way).
 */
export function clientKey(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket: all such calls share one bucket.
    return 'local';
  }
}
