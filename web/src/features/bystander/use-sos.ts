import { useEffect, useRef, useState } from 'react';
import { api, requestInit, unwrap } from '../../lib/api-client.ts';
import { sessionStore } from '../../lib/storage.ts';
import { SosSender, type GpsFix, type SosState } from './sos-sender.ts';

/** How long one SOS attempt may take before it counts as lost and is retried. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The SOS sender for this page's QR code, as React state. */
export function useSos(qrCode: string, gps: { current: GpsFix | null }) {
  const [state, setState] = useState<SosState>({ phase: 'idle' });
  const sender = useRef<SosSender | null>(null);

  useEffect(() => {
    const s = new SosSender({
      qrCode,
      store: sessionStore,
      gps: () => gps.current,
      onChange: setState,
      send: (body) => unwrap(api.incidents.$post({ json: body }, requestInit({ timeoutMs: ATTEMPT_TIMEOUT_MS }))),
    });
    sender.current = s;
    s.restore();
    const online = () => s.retryNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      s.dispose();
    };
  }, [qrCode, gps]);

  return {
    state,
    trigger: () => sender.current?.trigger(),
    retryNow: () => sender.current?.retryNow(),
    reset: () => sender.current?.reset(),
  };
}
