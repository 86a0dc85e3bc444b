import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../api/config.ts';
import { clientAddress, ProxyTrust } from '../../../api/proxy-trust.ts';

describe('the client address behind reverse proxies', () => {
  const proxies = new ProxyTrust(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  it("believes X-Forwarded-For only from a trusted proxy, taking the address that proxy was reached from", () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', proxies)).toBe('203.0.113.7');
    // A client that writes its own header stands to the left of what the proxy appended.
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7', proxies)).toBe('203.0.113.7');
    // Through two trusted proxies: the first untrusted hop from the right.
    expect(clientAddress('10.1.2.3', '203.0.113.7, 10.9.9.9', proxies)).toBe('203.0.113.7');
    // A peer that is no proxy cannot choose its key.
    expect(clientAddress('198.51.100.9', '203.0.113.7', proxies)).toBe('198.51.100.9');
    expect(clientAddress('198.51.100.9', '203.0.113.7', new ProxyTrust([]))).toBe('198.51.100.9');
  });

  it('reads IPv6, IPv4 on a dual-stack socket, and stops at an entry that is no address', () => {
    expect(clientAddress('fd00::1', '2001:db8::42', proxies)).toBe('2001:db8::42');
    expect(clientAddress('::ffff:127.0.0.1', '::ffff:203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:198.51.100.9', undefined, proxies)).toBe('198.51.100.9');
    expect(clientAddress('127.0.0.1', 'unknown, 10.0.0.5', proxies)).toBe('10.0.0.5');
    expect(clientAddress('127.0.0.1', '', proxies)).toBe('127.0.0.1');
    // Every hop a trusted proxy: the leftmost is the client as far as anyone knows.
    expect(clientAddress('127.0.0.1', '10.0.0.7, 10.0.0.5', proxies)).toBe('10.0.0.7');
  });

  it('is configured by TRUSTED_PROXIES, and a wrong entry stops the start naming it', () => {
    expect(parseConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(parseConfig({ TRUSTED_PROXIES: ' 127.0.0.1 , 10.0.0.0/8,fd00::/8 ' }).TRUSTED_PROXIES).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['10.0.0/8', 'proxy.example.org', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', '10.0.0.0/x']) {
      expect(() => parseConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
      try {
        parseConfig({ TRUSTED_PROXIES: bad });
      } catch (err) {
        expect((err as ConfigError).problems.join()).toContain(`TRUSTED_PROXIES: "${bad}" is not an IP address or CIDR range`);
      }
    }
  });
});
