import { useCallback, useEffect, useRef, useState } from 'react';
import type { GpsFix } from './sos-sender.ts';

/**
 * The phone's position, only as a refinement: the QR code already says where the patient is.
 * It never prompts on page load (a permission dialog must not cover the SOS button); it reads the
 * position silently when already allowed, and asks only after the SOS was pressed.
 */
export function useGps() {
  const fix = useRef<GpsFix | null>(null);
  const [current, setCurrent] = useState<GpsFix | null>(null);
  const watch = useRef<number | null>(null);

  const start = useCallback(() => {
    if (watch.current !== null || typeof navigator === 'undefined' || !navigator.geolocation) return;
    watch.current = navigator.geolocation.watchPosition(
      (p) => {
        const next = { lat: p.coords.latitude, lng: p.coords.longitude, accuracyM: Math.round(p.coords.accuracy) };
        fix.current = next;
        setCurrent(next);
      },
      () => {
        // Denied or unavailable: the QR spot is enough.
      },
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 20_000 },
    );
  }, []);

  useEffect(() => {
    let alive = true;
    navigator.permissions
      ?.query({ name: 'geolocation' })
      .then((status) => alive && status.state === 'granted' && start())
      .catch(() => undefined);
    return () => {
      alive = false;
      if (watch.current !== null) navigator.geolocation?.clearWatch(watch.current);
      watch.current = null;
    };
  }, [start]);

  return { fix, current, request: start };
}
