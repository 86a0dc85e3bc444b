/**
 * A random UUID v4 (RFC 9562 §5.4). `crypto.randomUUID` exists only in secure contexts, and a QR page
 * may be served over plain http on a campus network, so build one from `getRandomValues` (available
 * everywhere) when it is missing.
 */
export function uuidV4(cryptoImpl: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = globalThis.crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') {
    try {
      return cryptoImpl.randomUUID();
    } catch {
      // Throws outside secure contexts in some browsers: use the fallback below.
    }
  }
  const b = cryptoImpl.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
