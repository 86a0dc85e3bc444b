import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress, type ProxyTrust } from '../../proxy-trust.ts';
import type { AppEnv } from '../router.ts';

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request() in tests has no socket
  }
}

/** Works out each request's client address once (see clientAddress), for the rate limits. */
export function clientKeyMiddleware(trust: ProxyTrust): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const peer = peerAddress(c);
    if (peer) c.set('clientKey', clientAddress(peer, c.req.header('x-forwarded-for'), trust));
    await next();
  };
}

/**
 * The client key for rate limits: the client's address as clientKeyMiddleware found it, else the peer
 * address. Behind a reverse proxy every peer is the proxy: list it in TRUSTED_PROXIES, or every
 * bystander on campus shares one SOS allowance.
 */
export function clientKey(c: Context<AppEnv>): string {
  // app.request() in tests has no socket: all such calls share one bucket.
  return c.get('clientKey') ?? peerAddress(c) ?? 'local';
}
