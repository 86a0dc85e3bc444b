import { useEffect, useState } from 'react';
import { api, unwrap, requestInit } from '../../lib/api-client.ts';
import type { CampusLayers, LatLng } from './types.ts';

export interface MapData {
  layers: CampusLayers | null;
  tileUrl: string;
  status: 'loading' | 'ready' | 'failed';
}

const cache = new Map<string, Promise<CampusLayers>>();
let configPromise: Promise<{ tileUrl: string }> | null = null;

function loadLayers(slug: string): Promise<CampusLayers> {
  let p = cache.get(slug);
  if (!p) {
    p = unwrap(api.campuses[':slug'].map.$get({ param: { slug } }, requestInit({ timeoutMs: 30_000 }))) as Promise<CampusLayers>;
    p.catch(() => cache.delete(slug));
    cache.set(slug, p);
  }
  return p;
}

function loadConfig(): Promise<{ tileUrl: string }> {
  if (!configPromise) {
    configPromise = unwrap(api.config.$get({}, requestInit({ timeoutMs: 15_000 })));
    configPromise.catch(() => (configPromise = null));
  }
  return configPromise;
}

/**
 * The campus vector layers and the configured tile URL (empty: no tiles). Fetched once per page and
 * retried while the map is shown, since the bystander's network may come and go.
 */
export function useCampusLayers(slug: string | null | undefined): MapData {
  const [data, setData] = useState<MapData>({ layers: null, tileUrl: '', status: 'loading' });
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (n: number) => {
      Promise.all([slug ? loadLayers(slug) : Promise.resolve(null), loadConfig().catch(() => ({ tileUrl: '' }))]).then(
        ([layers, config]) => alive && setData({ layers, tileUrl: config.tileUrl, status: 'ready' }),
        () => {
          if (!alive) return;
          setData((d) => ({ ...d, status: 'failed' }));
          timer = setTimeout(() => attempt(n + 1), Math.min(10_000, 1_000 * 2 ** n));
        },
      );
    };
    attempt(0);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [slug]);
  return data;
}

/**
 * The campus to draw: `known` when given, else the campus whose centre is nearest `at` (e.g. the
 * patient, when the QR lookup failed or an alert carries no campus).
 */
export function useCampusSlugAt(known: string | null, at: LatLng): string | null {
  const [slug, setSlug] = useState<string | null>(known);
  useEffect(() => {
    if (known) return setSlug(known);
    let alive = true;
    unwrap(api.campuses.$get({}, requestInit({ timeoutMs: 15_000 })))
      .then(({ campuses }) => {
        const d = (c: { center: LatLng }) => (c.center.lat - at.lat) ** 2 + (c.center.lng - at.lng) ** 2;
        const best = [...campuses].sort((a, b) => d(a) - d(b))[0];
        if (alive && best) setSlug(best.slug);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [known, at.lat, at.lng]);
  return slug;
}
