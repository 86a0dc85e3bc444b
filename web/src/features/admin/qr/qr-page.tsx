import { useState } from 'react';
import { CircleMarker, Tooltip } from 'react-leaflet';
import { CampusMap } from '../../../components/campus-map/campus-map.tsx';
import { useCampusLayers } from '../../../components/campus-map/use-campus-layers.ts';
import { pickText, useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminQrSpot } from '../admin-api.ts';
import { useAction, useAdmin, useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { Badge, ErrorNote, FitCampus, FloorCell, LoadState, MapPicker, MapUnmountGuard, NO_POINTS, type Point } from '../ui.tsx';
import { QrSheetPreview } from './qr-sheet-preview.tsx';
import { QrSpotEditForm } from './qr-spot-edit-form.tsx';
import { QrSpotForm } from './qr-spot-form.tsx';

/** First-aid QR codes: place new spots on the map, print their sheets, deactivate them. */
export function QrPage() {
  const t = useT(adminMessages);
  const lang = useLang();
  const { campus } = useAdmin();
  const map = useCampusLayers(campus?.slug);
  const [point, setPoint] = useState<Point | null>(null);
  const [printing, setPrinting] = useState<AdminQrSpot | null>(null);
  const [editing, setEditing] = useState<AdminQrSpot | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const action = useAction();
  const list = useLoad((token) => unwrap(adminApi.admin['qr-spots'].$get({ query: campus ? { campusId: campus.id } : {} }, withToken(token))), [campus?.id]);
  const [filter, setFilter] = useState('');
  const spots = list.data?.spots ?? [];
  const needle = filter.trim().toLowerCase();
  const shown = needle ? spots.filter((s) => [s.code, s.buildingName, s.entrance, s.entranceZh].some((v) => v?.toLowerCase().includes(needle))) : spots;

  const toggle = async (spot: AdminQrSpot) => {
    const route = spot.active ? adminApi.admin['qr-spots'][':id'].deactivate : adminApi.admin['qr-spots'][':id'].activate;
    if (await action.run((token) => unwrap(route.$post({ param: { id: spot.id } }, withToken(token))))) list.reload();
  };

  return (
    <section className="admin-page" aria-labelledby="qr-title">
      <div className="admin-page-head">
        <h2 id="qr-title">{t('qrTitle')}</h2>
      </div>
      <div className="admin-columns">
        <div className="admin-col-main">
          <LoadState loading={list.loading && !list.data} error={list.error} onRetry={list.reload} />
          <ErrorNote error={action.error} />
          <div className="admin-toolbar">
            <input type="search" aria-label={t('search')} placeholder={`${t('search')}: ${t('qrCode')}, ${t('qrBuilding')}`} value={filter} onChange={(e) => setFilter(e.target.value)} />
            {list.data && <span className="admin-muted">{t('qrCount', { count: shown.length })}</span>}
          </div>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('qrCode')}</th>
                <th scope="col">{t('qrBuilding')}</th>
                <th scope="col">{t('qrFloor')}</th>
                <th scope="col">{t('qrEntrance')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col"><span className="sr-only">{t('edit')}</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.id} className={s.id === highlight ? 'is-selected' : undefined}>
                  <td className="admin-mono"><a href={s.path} target="_blank" rel="noreferrer">{s.code}</a></td>
                  <td>{s.buildingName ?? '—'}</td>
                  <FloorCell level={s.floor} />
                  <td>{pickText(lang, s.entranceZh, s.entrance) || '—'}</td>
                  <td>{s.active ? <Badge tone="ok">{t('qrActive')}</Badge> : <Badge tone="muted">{t('qrInactive')}</Badge>}</td>
                  <td className="admin-row-actions admin-row-actions-inline">
                    <button type="button" className="btn btn-secondary btn-small" disabled={!s.active} aria-label={`${t('qrPrint')} ${s.code}`} onClick={() => setPrinting(s)}>{t('qrPrint')}</button>
                    <button type="button" className="btn btn-quiet btn-small" aria-label={`${t('edit')} ${s.code}`} onClick={() => { setEditing(s); setHighlight(s.id); }}>{t('edit')}</button>
                    <button type="button" className="btn btn-quiet btn-small" disabled={action.busy} aria-label={`${s.active ? t('qrDeactivate') : t('qrActivate')} ${s.code}`} onClick={() => void toggle(s)}>
                      {s.active ? t('qrDeactivate') : t('qrActivate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="admin-col-side">
          {campus && (
          <CampusMap className="admin-map" layers={map.layers} tileUrl={map.tileUrl} status={map.status} showCampusAeds={false} center={campus.center} fitTo={NO_POINTS}>
            <MapUnmountGuard />
            <FitCampus bounds={campus.bounds} />
            {spots.map((s) => (
              <CircleMarker key={s.id} center={[s.lat, s.lng]} radius={s.id === highlight ? 8 : 5}
                pathOptions={{ color: s.active ? '#b00020' : '#888', weight: 2, fillColor: '#fff', fillOpacity: 1 }}
                eventHandlers={{ click: () => setHighlight(s.id) }}>
                <Tooltip>{s.code} · {s.buildingName ?? ''} {s.entranceZh ?? s.entrance ?? ''}</Tooltip>
              </CircleMarker>
            ))}
            <MapPicker point={point} onPick={setPoint} />
          </CampusMap>
          )}
          {editing ? (
            <QrSpotEditForm key={editing.id} spot={editing} onCancel={() => setEditing(null)} onSaved={(spot) => { setEditing(null); list.reload(); setPrinting(spot.active ? spot : null); }} />
          ) : (
            <QrSpotForm point={point} onCreated={(spot) => { setPoint(null); setHighlight(spot.id); list.reload(); setPrinting(spot); }} />
          )}
        </div>
      </div>
      {printing && <QrSheetPreview spot={printing} onClose={() => setPrinting(null)} />}
    </section>
  );
}
