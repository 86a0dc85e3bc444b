import 'leaflet/dist/leaflet.css';
import './campus-map.css';
import L from 'leaflet';
import { useEffect, useMemo, type ReactNode } from 'react';
import { GeoJSON, MapContainer, Marker, Polyline, TileLayer, Tooltip, useMap, ZoomControl } from 'react-leaflet';
import { pickText, useLang, useT } from '../../lib/i18n.ts';
import { guardCanvasRedraw } from './canvas-guard.ts';
import { mapMessages } from './messages.ts';
import { pinIcon } from './markers.ts';
import type { CampusLayers, LatLng, MapAed, MapResponder } from './types.ts';

export interface CampusMapProps {
  /** Campus vector layers (buildings, walkways, QR spots, AEDs); the map is useful with these alone. */
  layers?: CampusLayers | null;
  /** Leaflet tile URL template; empty or missing: no tile layer at all (closed networks, tests). */
  tileUrl?: string;
  /** Where to look when there is nothing to fit to. */
  center?: LatLng;
  patient?: LatLng | null;
  /** The viewer's own position (a volunteer on the way). */
  self?: LatLng | null;
  /** Labelled AEDs (e.g. the nearest ones listed beside the map); drawn above the campus AEDs. */
  aeds?: MapAed[];
  /** Draw every AED of the campus layers as a small marker too. Default true. */
  showCampusAeds?: boolean;
  showQrSpots?: boolean;
  responders?: MapResponder[];
  /** A polyline, e.g. volunteer → AED → patient. */
  path?: LatLng[];
  /** The path follows the walkways (solid line) rather than a straight direction (dashed). */
  pathIsRoute?: boolean;
  /** Points the view must show; by default the patient, self, labelled AEDs and responders. */
  fitTo?: LatLng[];
  /** Extra react-leaflet layers (the admin console adds its own). */
  children?: ReactNode;
  className?: string;
  status?: 'loading' | 'ready' | 'failed';
}

const toLeaflet = (p: LatLng): L.LatLngTuple => [p.lat, p.lng];

// The map draws its vectors on a canvas (preferCanvas); closing it must never throw (see canvas-guard.ts).
guardCanvasRedraw(L.Canvas.prototype);
const ATTRIBUTION_FALLBACK = '© OpenStreetMap contributors';

/**
 * The campus map shared by the bystander page, the volunteer app and the admin console: vector layers
 * from the campus geo-data, and a tile layer only when a tile URL is configured.
 */
export function CampusMap(props: CampusMapProps) {
  const t = useT(mapMessages);
  const lang = useLang();
  const { layers, aeds = [], responders = [], patient, self, path, pathIsRoute } = props;
  const fitPoints = useMemo(
    () => props.fitTo ?? [patient, self, ...aeds, ...responders].filter((p): p is LatLng => !!p),
    [props.fitTo, patient, self, aeds, responders],
  );
  const center = props.center ?? patient ?? layers?.campus.center ?? { lat: 0, lng: 0 };
  const attribution = layers?.campus.attribution ? `${t('attribution')} (ODbL)` : t('attribution');
  const labelledIds = new Set(aeds.map((a) => a.id));

  return (
    <div className={`campus-map ${props.className ?? ''}`} role="region" aria-label={t('mapLabel')} data-layers={layers ? 'ready' : 'none'}>
      <MapContainer center={toLeaflet(center)} zoom={17} preferCanvas zoomControl={false} attributionControl={false} style={{ height: '100%' }}>
        <ZoomControl key={lang} zoomInTitle={t('zoomIn')} zoomOutTitle={t('zoomOut')} />
        <MapUnmountGuard />
        <Attribution text={attribution || ATTRIBUTION_FALLBACK} />
        {props.tileUrl ? <TileLayer url={props.tileUrl} maxZoom={19} /> : null}
        {layers && <CampusVectors layers={layers} lang={lang} showQrSpots={!!props.showQrSpots} />}
        {layers && props.showCampusAeds !== false &&
          layers.aeds.features
            .filter((f) => !labelledIds.has(f.properties.id))
            .map((f) => {
              const [lng, lat] = f.geometry.coordinates as [number, number];
              const title = pickText(lang, f.properties.location, f.properties.locationEn) || t('aed');
              return <Marker key={f.properties.id} position={[lat, lng]} icon={pinIcon('aed', '', 'map-pin-small', 16)} title={`${t('aed')}: ${title}`} alt={t('aed')} />;
            })}
        {path && path.length > 1 && <Polyline positions={path.map(toLeaflet)} pathOptions={{ color: '#0b57d0', weight: 5, dashArray: pathIsRoute ? undefined : '10 8', opacity: 0.9 }}>
          <Tooltip sticky>{t(pathIsRoute ? 'route' : 'direction')}</Tooltip>
        </Polyline>}
        {aeds.map((a) => (
          <Marker key={a.id} position={toLeaflet(a)} zIndexOffset={500} title={a.title} alt={a.usable ? t('aed') : t('aedClosed')}
            icon={pinIcon('aed', a.label ?? '', `${a.usable ? '' : 'is-closed'} ${a.highlighted ? 'is-highlighted' : ''}`)}>
            <Tooltip>{a.title}</Tooltip>
          </Marker>
        ))}
        {responders.map((r) => (
          <Marker key={r.id} position={toLeaflet(r)} zIndexOffset={800} title={t('responder', { label: r.label })} alt={t('responder', { label: r.label })}
            icon={pinIcon('responder', r.label, `role-${r.role}`)} />
        ))}
        {self && <Marker position={toLeaflet(self)} zIndexOffset={900} title={t('you')} alt={t('you')} icon={pinIcon('self', '')} />}
        {patient && <Marker position={toLeaflet(patient)} zIndexOffset={1000} title={t('patient')} alt={t('patient')} icon={pinIcon('patient', '+')} />}
        <FitView points={fitPoints} fallback={center} />
        {props.children}
      </MapContainer>
      {props.status === 'loading' && <p className="campus-map-status">{t('loading')}</p>}
      {props.status === 'failed' && <p className="campus-map-status">{t('failed')}</p>}
    </div>
  );
}

function CampusVectors({ layers, lang, showQrSpots }: { layers: CampusLayers; lang: string; showQrSpots: boolean }) {
  return (
    <>
      <GeoJSON key={`b-${layers.campus.slug}-${lang}`} data={layers.buildings} interactive={false}
        style={{ color: '#8a8f98', weight: 1, fillColor: '#c9ced6', fillOpacity: 0.8 }} />
      <GeoJSON key={`w-${layers.campus.slug}`} data={layers.walkways} interactive={false}
        style={(f) => ({ color: f?.properties?.steps ? '#b36b00' : '#ffffff', weight: f?.properties?.steps ? 2 : 3, dashArray: f?.properties?.steps ? '3 3' : undefined, opacity: 0.95 })} />
      {showQrSpots && (
        <GeoJSON key={`q-${layers.campus.slug}`} data={layers.qrSpots} interactive={false}
          pointToLayer={(_f, latlng) => L.circleMarker(latlng, { radius: 4, color: '#b00020', weight: 1, fillColor: '#fff', fillOpacity: 1 })} />
      )}
    </>
  );
}

/**
 * Leaflet 1.9 finishes an animated zoom (a user's pinch, a zoom button) from a 250 ms timer that
 * outlives `map.remove()` and then reads removed panes ("reading '_leaflet_pos'"). Clearing the flag
 * the timer checks first on unmount makes it a no-op, so leaving a page mid-zoom never throws.
 */
export function MapUnmountGuard() {
  const map = useMap();
  useEffect(() => () => void ((map as unknown as { _animatingZoom: boolean })._animatingZoom = false), [map]);
  return null;
}

function Attribution({ text }: { text: string }) {
  const map = useMap();
  useEffect(() => {
    const control = L.control.attribution({ prefix: false }).addAttribution(text).addTo(map);
    return () => void control.remove();
  }, [map, text]);
  return null;
}

/** Fits the view to the points whenever the set of points changes (not on every move of a marker). */
function FitView({ points, fallback }: { points: LatLng[]; fallback: LatLng }) {
  const map = useMap();
  const key = points.length;
  useEffect(() => {
    // No animation: an animated zoom finishes from a timer that can outlive the map (see MapUnmountGuard).
    if (points.length === 0) map.setView(toLeaflet(fallback), 17, { animate: false });
    else if (points.length === 1) map.setView(toLeaflet(points[0]!), 18, { animate: false });
    else map.fitBounds(L.latLngBounds(points.map(toLeaflet)), { padding: [36, 36], maxZoom: 18, animate: false });
    // Only when the number of points changes: refitting on every position update would fight the user's panning.
  }, [map, key]);
  return null;
}
