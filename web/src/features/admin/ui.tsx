import L from 'leaflet';
import { useEffect, type ReactNode } from 'react';
import { CircleMarker, useMap, useMapEvents } from 'react-leaflet';
import type { ApiError } from '../../lib/api-client.ts';
import { useLang, useT } from '../../lib/i18n.ts';
import { floorText } from '../../lib/spot-text.ts';
import { adminMessages, type AdminKey } from './i18n.ts';

/** Small building blocks shared by the admin pages. */

export interface Point {
  lat: number;
  lng: number;
}

/** The forms' fields by the API's names for them, labelled as the forms label them. */
const FIELD_LABELS: Record<string, AdminKey> = {
  ref: 'fRef',
  lat: 'fLat',
  lng: 'fLng',
  locationZh: 'fLocationZh',
  locationEn: 'fLocationEn',
  level: 'fLevel',
  indoor: 'fIndoor',
  access: 'fAccess',
  openingHours: 'fHours',
  operator: 'fOperator',
  phone: 'fPhone',
  description: 'fDescription',
  padExpiresOn: 'fPads',
  batteryExpiresOn: 'fBattery',
  status: 'fStatus',
  buildingId: 'qrBuilding',
  buildingName: 'qrBuilding',
  floor: 'qrFloor',
  entranceZh: 'qrEntranceZh',
  entrance: 'qrEntranceEn',
};

/** An API error as the admin reads it: each field's problem under the field's own label, or the message. */
export function ErrorNote({ error }: { error: ApiError | null }) {
  const t = useT(adminMessages);
  const lang = useLang();
  if (!error) return null;
  const line = (i: { path: string; message: string }) => {
    if (!i.path) return i.message;
    const key = FIELD_LABELS[i.path];
    return `${key ? t(key) : i.path}${lang === 'zh-CN' ? '：' : ': '}${i.message}`;
  };
  return (
    <div className="form-error" role="alert">
      {error.issues.length === 0 && <p>{error.message}</p>}
      {error.issues.length === 1 && <p>{line(error.issues[0]!)}</p>}
      {error.issues.length > 1 && (
        <ul>
          {error.issues.map((i) => <li key={`${i.path}:${i.message}`}>{line(i)}</li>)}
        </ul>
      )}
    </div>
  );
}

/** The problem the API reported for one field, if any. */
export function issueFor(error: ApiError | null, field: string): string | undefined {
  return error?.issues.find((i) => i.path === field || i.path.startsWith(`${field}.`))?.message;
}

/** A labelled input whose problem (from the API's issues) shows under it. */
export function Field(props: { id: string; label: string; hint?: string; problem?: string; children: ReactNode }) {
  return (
    <div className={`field ${props.problem ? 'has-problem' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && <span className="field-hint">{props.hint}</span>}
      {props.problem && <span className="field-problem" id={`${props.id}-problem`}>{props.problem}</span>}
    </div>
  );
}

/**
 * A table cell with a floor (an OSM level) as the reader counts floors ("2 层" for level 1), the
 * level itself on hover and in small type: the edit forms take the level.
 */
export function FloorCell({ level }: { level: string | null | undefined }) {
  const lang = useLang();
  const words = floorText(lang, level);
  if (!words) return <td>—</td>;
  return (
    <td className="admin-nowrap" title={`OSM level ${level}`}>
      {words} <span className="admin-level">({level})</span>
    </td>
  );
}

/** A coloured label, e.g. a status. */
export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'muted'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Loading and error lines for a list. */
export function LoadState({ loading, error, onRetry }: { loading: boolean; error: ApiError | null; onRetry(): void }) {
  const t = useT(adminMessages);
  if (error) {
    return (
      <p className="form-error" role="alert">
        {t('loadFailed', { message: error.message })} <button type="button" className="btn btn-quiet" onClick={onRetry}>{t('retry')}</button>
      </p>
    );
  }
  return loading ? <p className="admin-muted" aria-live="polite">{t('loading')}</p> : null;
}

/** Inside a CampusMap: a click on the map picks a point, drawn as a ring. */
export function MapPicker({ point, onPick }: { point: Point | null; onPick(p: Point): void }) {
  useMapEvents({ click: (e) => onPick({ lat: round6(e.latlng.lat), lng: round6(e.latlng.lng) }) });
  return point ? <CircleMarker center={[point.lat, point.lng]} radius={10} pathOptions={{ color: '#0b57d0', weight: 3, fillOpacity: 0.25 }} /> : null;
}

/** A CampusMap `fitTo` that leaves the view to FitCampus. */
export const NO_POINTS: Point[] = [];

/** Degrees to 6 decimals (~0.1 m), as the geo-data stores them. */
export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** `2025-06-01T10:00:00Z` as a short local date and time. */
export function formatDateTime(iso: string | null, lang: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'medium' });
}

/** Seconds as `m:ss`, or a dash. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  const r = Math.round(s);
  return `${Math.floor(r / 60)}:${String(r % 60).padStart(2, '0')}`;
}

/** A translator key built from a value, e.g. `status_${status}`, with the raw value when unknown. */
export function useKeyed() {
  const t = useT(adminMessages);
  return (prefix: string, value: string) => {
    const key = `${prefix}_${value}` as AdminKey;
    const text = t(key);
    return text === key ? value : text;
  };
}

/**
 * Inside a CampusMap: shows the whole campus, again whenever the map's box changes size (the page
 * lays out after Leaflet measured it, and a panel opening beside the map resizes it).
 */
export function FitCampus({ bounds }: { bounds: { minLat: number; minLng: number; maxLat: number; maxLng: number } }) {
  const map = useMap();
  const { minLat, minLng, maxLat, maxLng } = bounds;
  useEffect(() => {
    // Quarter zoom steps: a campus is rarely a power-of-two size, and whole steps leave it small.
    map.options.zoomSnap = 0.25;
    let fitting = false;
    const fit = () => {
      fitting = true;
      map.invalidateSize();
      // No animation: a page switch may remove the map mid-animation (Leaflet then reads a removed pane).
      map.fitBounds(L.latLngBounds([minLat, minLng], [maxLat, maxLng]), { padding: [8, 8], animate: false });
      fitting = false;
    };
    fit();
    // The map's own first view may be an animated zoom that lands after ours: refit when it does.
    const onZoomEnd = () => !fitting && fit();
    map.on('zoomend', onZoomEnd);
    const settled = setTimeout(() => map.off('zoomend', onZoomEnd), 1_000);
    let width = map.getContainer().clientWidth;
    const observer = new ResizeObserver(() => {
      const now = map.getContainer().clientWidth;
      if (now !== width) {
        width = now;
        fit();
      }
    });
    observer.observe(map.getContainer());
    return () => {
      observer.disconnect();
      clearTimeout(settled);
      map.off('zoomend', onZoomEnd);
    };
  }, [map, minLat, minLng, maxLat, maxLng]);
  return null;
}

/** Shared with the bystander and responder maps (components/campus-map). */
export { MapUnmountGuard } from '../../components/campus-map/campus-map.tsx';
