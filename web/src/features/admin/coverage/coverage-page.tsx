import { useState } from 'react';
import { GeoJSON, Marker, Tooltip } from 'react-leaflet';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { CampusMap } from '../../../components/campus-map/campus-map.tsx';
import { useCampusLayers } from '../../../components/campus-map/use-campus-layers.ts';
import { pickText, useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type Coverage } from '../admin-api.ts';
import { useAdmin, useLoad } from '../admin-context.tsx';
import { adminMessages, type AdminKey } from '../i18n.ts';
import { FitCampus, formatSeconds, LoadState, MapUnmountGuard, NO_POINTS } from '../ui.tsx';
import { colourFor, LEGEND } from './coverage-colours.ts';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function initialTime(): { weekday: number; hour: number } {
  const now = new Date();
  return { weekday: ((now.getDay() + 6) % 7) + 1, hour: now.getHours() };
}

/** The campus in H3 cells coloured by the best AED time at a chosen weekday and hour, and where one more AED helps most. */
export function CoveragePage() {
  const t = useT(adminMessages);
  const { campus } = useAdmin();
  const map = useCampusLayers(campus?.slug);
  const [when, setWhen] = useState(initialTime);
  const [res, setRes] = useState(10);
  const coverage = useLoad(
    (token) =>
      campus
        ? unwrap(adminApi.admin.coverage.$get({ query: { campus: campus.slug, weekday: String(when.weekday), hour: String(when.hour), res: String(res) } }, withToken(token)))
        : Promise.resolve(null),
    [campus?.slug, when, res],
  );
  const data = coverage.data;

  return (
    <section className="admin-page" aria-labelledby="cov-title">
      <div className="admin-page-head">
        <h2 id="cov-title">{t('covTitle')}</h2>
        <div className="admin-toolbar">
          <label>{t('covDay')}{' '}
            <select value={when.weekday} onChange={(e) => setWhen({ ...when, weekday: Number(e.target.value) })}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => <option key={d} value={d}>{t(`day${d}` as AdminKey)}</option>)}
            </select>
          </label>
          <label>{t('covHour')}{' '}
            <select value={when.hour} onChange={(e) => setWhen({ ...when, hour: Number(e.target.value) })}>
              {Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{`${String(h).padStart(2, '0')}:00`}</option>)}
            </select>
          </label>
          <label>{t('covRes')}{' '}
            <select value={res} onChange={(e) => setRes(Number(e.target.value))}>
              {/* Average edge lengths of h3-js v4 (DESIGN.md). */}
              {([[9, 200], [10, 76], [11, 29]] as const).map(([r, m]) => <option key={r} value={r}>{t('covResOption', { res: r, m })}</option>)}
            </select>
          </label>
        </div>
      </div>
      <div className="admin-columns admin-columns-wide-map">
        <div className="admin-col-main">
          {campus && (
            <CampusMap className="admin-map admin-map-tall" layers={map.layers} tileUrl={map.tileUrl} status={map.status} showCampusAeds={false} center={campus.center} fitTo={NO_POINTS}>
              <MapUnmountGuard />
              <FitCampus bounds={campus.bounds} />
              {data && <CoverageCells data={data} />}
            </CampusMap>
          )}
          <Legend />
        </div>
        <div className="admin-col-side">
          <LoadState loading={coverage.loading} error={coverage.error} onRetry={coverage.reload} />
          {data && <CoverageSummary data={data} />}
        </div>
      </div>
    </section>
  );
}

function CoverageCells({ data }: { data: Coverage }) {
  const t = useT(adminMessages);
  const lang = useLang();
  const star = (rank: number) => L.divIcon({ html: `<div class="coverage-star">${rank}</div>`, className: '', iconSize: [28, 28], iconAnchor: [14, 14] });
  return (
    <>
      <GeoJSON key={`${data.at}-${data.res}-${data.coveredCells}-${data.aeds.length}`} data={data.cells as FeatureCollection}
        style={(f) => ({ color: '#333', weight: 0.4, fillColor: colourFor(f?.properties?.timeS ?? null), fillOpacity: 0.55 })}
        onEachFeature={(f, layer) => layer.bindTooltip(f.properties.timeS === null ? t('covBeyond') : formatSeconds(f.properties.timeS))} />
      {data.aeds.map((a) => (
        <Marker key={`${a.id}-${lang}`} position={[a.lat, a.lng]} icon={L.divIcon({ html: '<div class="map-pin map-pin-aed map-pin-small"></div>', className: '', iconSize: [16, 16], iconAnchor: [8, 8] })} title={pickText(lang, a.labelZh, a.label) || 'AED'} />
      ))}
      {data.suggestions.map((s, i) => (
        <Marker key={`${s.id}-${lang}`} position={[s.lat, s.lng]} icon={star(i + 1)} zIndexOffset={1000} title={pickText(lang, s.labelZh, s.label)}>
          <Tooltip>{pickText(lang, s.labelZh, s.label)}: {t('covSuggestGain', { cells: s.gainCells, share: percent(s.shareAfter) })}</Tooltip>
        </Marker>
      ))}
    </>
  );
}

function CoverageSummary({ data }: { data: Coverage }) {
  const t = useT(adminMessages);
  const lang = useLang();
  return (
    <>
      <section className="panel" aria-labelledby="cov-share-title">
        <h2 id="cov-share-title">{t('covShare')}</h2>
        <p className="coverage-share" data-testid="coverage-share">{percent(data.shareWithin240s)}</p>
        <p>{t('covCells', { covered: data.coveredCells, total: data.totalCells })}</p>
        <p className="admin-muted">{t('covAeds', { usable: data.aeds.length, unusable: data.unusableAeds })}</p>
      </section>
      <section className="panel" aria-labelledby="cov-suggest-title">
        <h2 id="cov-suggest-title">{t('covSuggestTitle')}</h2>
        {data.suggestions.length === 0 && <p className="admin-muted">{t('covNoSuggestion')}</p>}
        <ol className="admin-list">
          {data.suggestions.map((s) => (
            <li key={s.id}>
              <strong>{pickText(lang, s.labelZh, s.label)}</strong>
              <div>{t('covSuggestGain', { cells: s.gainCells, share: percent(s.shareAfter) })}</div>
              <div className="admin-muted admin-mono">{s.lat.toFixed(6)}, {s.lng.toFixed(6)}</div>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function Legend() {
  const t = useT(adminMessages);
  return (
    <div className="coverage-legend" aria-label={t('covLegend')}>
      <span>{t('covLegend')}:</span>
      {LEGEND.map((l) => (
        <span key={l.label} className="coverage-legend-item">
          <span className="coverage-swatch" style={{ background: l.colour }} aria-hidden="true" /> {l.label === 'beyond' ? t('covBeyond') : l.label}
        </span>
      ))}
    </div>
  );
}
