import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { LatLng } from '../../components/campus-map/types.ts';
import { ApiError, api, requestInit, unwrap, type Duty } from '../../lib/api-client.ts';
import type { RealtimeClient } from '../../lib/ws-client.ts';

export type PositionState = { kind: 'off' } | { kind: 'waiting' } | { kind: 'ok'; at: LatLng; accuracyM: number } | { kind: 'denied' } | { kind: 'unsupported' };

/** Send a position at most this often, unless the volunteer moved this far. */
const MIN_INTERVAL_MS = 5_000;
const MIN_MOVE_M = 10;
/** Resend an unchanged position this often: the planner ignores positions older than 2 minutes. */
const REFRESH_MS = 45_000;

function metresBetween(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

/**
 * Duty (GET/PUT /volunteer/duty) and, while on duty, the phone's position: watched with the
 * Geolocation API and sent over the WebSocket (HTTP when the socket is down), throttled to every 5 s
 * or 10 m, refreshed every 45 s.
 */
export function useDuty(token: string, client: RefObject<RealtimeClient | null>, onUnauthorized: () => void) {
  const [duty, setDuty] = useState<Duty | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [position, setPosition] = useState<PositionState>({ kind: 'off' });
  const last = useRef<{ at: LatLng; accuracyM: number; sentAt: number; sentAtPos: LatLng | null } | null>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) onUnauthorized();
      else setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    },
    [onUnauthorized],
  );

  useEffect(() => {
    unwrap(api.volunteer.duty.$get({}, requestInit({ token }))).then(setDuty, fail);
  }, [token, fail]);

  const setOnDuty = async (onDuty: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setDuty(await unwrap(api.volunteer.duty.$put({ json: { onDuty } }, requestInit({ token }))));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const send = useCallback(
    (force: boolean) => {
      const l = last.current;
      if (!l) return;
      const now = Date.now();
      const moved = l.sentAtPos ? metresBetween(l.sentAtPos, l.at) : Infinity;
      if (!force && now - l.sentAt < MIN_INTERVAL_MS && moved < MIN_MOVE_M) return;
      if (!force && moved < MIN_MOVE_M && now - l.sentAt < REFRESH_MS) return;
      l.sentAt = now;
      l.sentAtPos = l.at;
      const msg = { lat: l.at.lat, lng: l.at.lng, accuracyM: Math.min(100_000, l.accuracyM) };
      if (!client.current?.send({ type: 'position', ...msg })) {
        unwrap(api.volunteer.position.$post({ json: msg }, requestInit({ token, timeoutMs: 8_000 }))).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) onUnauthorized();
          else if (last.current) last.current.sentAt = 0; // try again with the next fix
        });
      }
    },
    [client, token, onUnauthorized],
  );

  const onDuty = !!duty?.onDuty;
  useEffect(() => {
    if (!onDuty) {
      last.current = null;
      setPosition({ kind: 'off' });
      return;
    }
    if (!navigator.geolocation) {
      setPosition({ kind: 'unsupported' });
      return;
    }
    setPosition({ kind: 'waiting' });
    const id = navigator.geolocation.watchPosition(
      (p) => {
        const at = { lat: p.coords.latitude, lng: p.coords.longitude };
        const accuracyM = Math.round(p.coords.accuracy);
        const first = !last.current;
        last.current = { at, accuracyM, sentAt: last.current?.sentAt ?? 0, sentAtPos: last.current?.sentAtPos ?? null };
        setPosition({ kind: 'ok', at, accuracyM });
        send(first);
      },
      (err) => setPosition(err.code === err.PERMISSION_DENIED ? { kind: 'denied' } : { kind: 'waiting' }),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    const refresh = setInterval(() => send(false), REFRESH_MS / 3);
    return () => {
      navigator.geolocation.clearWatch(id);
      clearInterval(refresh);
    };
  }, [onDuty, send]);

  return { duty, busy, error, position, setOnDuty, resendPosition: () => send(true) };
}
