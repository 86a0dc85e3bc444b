import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../router.ts';

/**
 * Reverse proxies whose `X-Forwarded-For` is believed: addresses and CIDR ranges, IPv4 or IPv6.
 * Parsed from TRUSTED_PROXIES (`127.0.0.1, 10.0.0.0/8, fd00::/8`).
 */
export class ProxyTrust {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** @throws Error naming the first entry that is no IP address or CIDR range */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!family || extra !== undefined || (bits !== undefined && !(bits <= (family === 4 ? 32 : 128)))) {
        throw new Error(`"${entry}" is not an IP address or CIDR range`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, bits, type);
    }
    this.empty = entries.length === 0;
  }

  trusts(address: string): boolean {
    const a = plainAddress(address);
    const family = isIP(a);
    return family !== 0 && this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** An IPv4 peer of a dual-stack socket reads `::ffff:1.2.3.4`: the IPv4 address it is. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the nearest address in
 * `X-Forwarded-For` that is not itself a trusted proxy, read from the right (each proxy appends the
 * address it was reached from, and whatever a client wrote stands to the left of that, so it cannot
 * choose its own key). Entries that are no IP address end the walk at the hop before them.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trust: ProxyTrust): string {
  if (trust.empty || !forwardedFor || !trust.trusts(peer)) return plainAddress(peer);
  let address = plainAddress(peer);
  const hops = forwardedFor.split(',').map((h) => h.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (!isIP(hop)) break;
    address = hop;
    if (!trust.trusts(hop)) break;
  }
  return address;
}

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
