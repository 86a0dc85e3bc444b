import { describe, expect, it } from 'vitest';
import { uuidV4 } from '../../../../web/src/lib/uuid.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV4', () => {
  it('builds a v4 UUID from getRandomValues when randomUUID is missing (plain http pages)', () => {
    const fallback = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => globalThis.crypto.getRandomValues(a as Uint8Array) as unknown as T };
    const ids = new Set(Array.from({ length: 200 }, () => uuidV4(fallback as Crypto)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it('uses randomUUID when the context offers it', () => {
    expect(uuidV4()).toMatch(V4);
  });
});
