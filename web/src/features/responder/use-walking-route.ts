import { useEffect, useRef, useState } from 'react';
import type { LatLng } from '../../components/campus-map/types.ts';
import { api, requestInit, unwrap } from '../../lib/api-client.ts';
import { directionPath, type Mission } from './missions.ts';

/** Fetch a new route once the volunteer has moved this far from where the last one started, metres. */
const REROUTE_M = 25;

function approxDistanceM(a: LatLng, b: LatLng): number {
  const x = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return Math.hypot(x, b.lat - a.lat) * 111_195;
}

const fmt = (p: LatLng) => `${p.lat.toFixed(6)},${p.lng.toFixed(6)}`;

/**
 * The walking route volunteer → (AED) → patient on the campus paths (GET /api/route); until it
 * arrives, or where the paths do not reach, the straight-line direction.
 */
export function useWalkingRoute(self: LatLng | null, mission: Mission): { path: LatLng[]; onGraph: boolean } {
  const straight = directionPath(self, mission);
  const [route, setRoute] = useState<{ key: string; path: LatLng[]; onGraph: boolean } | null>(null);
  const origin = useRef<LatLng | null>(null);
  const via = mission.role === 'aed' && mission.aed && mission.status !== 'arrived' ? mission.aed : null;
  const key = `${mission.incidentId}|${via ? fmt(via) : ''}`;

  useEffect(() => {
    if (!self) return;
    if (route?.key === key && origin.current && approxDistanceM(origin.current, self) < REROUTE_M) return;
    origin.current = self;
    let cancelled = false;
    const query = { from: fmt(self), to: fmt(mission.patient), ...(via ? { via: fmt(via) } : {}) };
    unwrap(api.route.$get({ query }, requestInit({ timeoutMs: 8_000 })))
      .then((r) => {
        if (!cancelled) setRoute({ key, path: r.geometry.coordinates.map(([lng, lat]) => ({ lat, lng })), onGraph: r.properties.onGraph });
      })
      .catch(() => {
        // No route (offline, server busy): the straight direction stays on the map.
      });
    return () => {
      cancelled = true;
    };
  }, [self, key, mission.patient, via, route?.key]);

  return route && route.key === key ? { path: route.path, onGraph: route.onGraph } : { path: straight, onGraph: false };
}
