import { BlockList, isIP } from 'node:net';

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
