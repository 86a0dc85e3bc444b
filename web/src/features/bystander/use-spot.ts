import { useEffect, useState } from 'react';
import { ApiError, api, requestInit, unwrap, type QrSpot } from '../../lib/api-client.ts';

export type SpotState = { status: 'loading' } | { status: 'ready'; spot: QrSpot } | { status: 'unknown' } | { status: 'unavailable' };

/**
 * Where the QR code hangs. Only decoration for the SOS, which needs nothing but the code: the page
 * never waits for this. Retried a few times on a bad network.
 */
export function useSpot(code: string): SpotState {
  const [state, setState] = useState<SpotState>({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (attempt: number) => {
      unwrap(api.qr[':code'].$get({ param: { code } }, requestInit({ timeoutMs: 8_000 }))).then(
        (spot) => alive && setState({ status: 'ready', spot }),
        (err: unknown) => {
          if (!alive) return;
          if (err instanceof ApiError && err.status === 404) return setState({ status: 'unknown' });
          setState({ status: 'unavailable' });
          if (attempt < 6) timer = setTimeout(() => load(attempt + 1), Math.min(8_000, 1_000 * 2 ** attempt));
        },
      );
    };
    load(0);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [code]);
  return state;
}
