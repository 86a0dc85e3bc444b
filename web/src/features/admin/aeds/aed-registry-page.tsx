import { useState } from 'react';
import { CampusMap } from '../../../components/campus-map/campus-map.tsx';
import { useCampusLayers } from '../../../components/campus-map/use-campus-layers.ts';
import { pickText, useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminAed } from '../admin-api.ts';
import { useAdmin, useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { FitCampus, LoadState, MapPicker, MapUnmountGuard, NO_POINTS, type Point } from '../ui.tsx';
import { AedActions } from './aed-actions.tsx';
import { AedExpiring } from './aed-expiring.tsx';
import { AedForm } from './aed-form.tsx';
import { AedImportExport } from './aed-import-export.tsx';
import { AedTable } from './aed-table.tsx';

const PAGE = 50;
type Status = '' | 'in_service' | 'in_use' | 'out_of_service' | 'retired';

/** The AED registry: search and list, the map, create and edit, expiries, import and export. */
export function AedRegistryPage() {
  const t = useT(adminMessages);
  const lang = useLang();
  const { campus } = useAdmin();
  const map = useCampusLayers(campus?.slug);
  const [query, setQuery] = useState({ q: '', status: '' as Status, scope: 'campus' as 'campus' | 'all', offset: 0 });
  const [editing, setEditing] = useState<AdminAed | 'new' | null>(null);
  const [point, setPoint] = useState<Point | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);

  const list = useLoad(
    (token) =>
      unwrap(
        adminApi.admin.aeds.$get(
          {
            query: {
              ...(query.q ? { q: query.q } : {}),
              ...(query.status ? { status: query.status } : {}),
              ...(query.scope === 'campus' && campus ? { campusId: campus.id } : {}),
              limit: String(PAGE),
              offset: String(query.offset),
            },
          },
          withToken(token),
        ),
      ),
    [query, campus?.id, version],
  );

  const selected = editing && editing !== 'new' ? editing : null;
  const onSaved = (aed: AdminAed) => {
    setEditing(aed);
    setPoint(null);
    refresh();
  };
  const mapAeds = (list.data?.aeds ?? []).map((a) => ({
    id: a.id,
    lat: a.lat,
    lng: a.lng,
    usable: a.usableNow,
    highlighted: a.id === selected?.id,
    title: `${a.externalRef ?? a.osmId ?? ''} ${pickText(lang, a.locationZh, a.locationEn, a.location)}`.trim(),
  }));

  return (
    <section className="admin-page" aria-labelledby="aeds-title">
      <div className="admin-page-head">
        <h2 id="aeds-title">{t('aedsTitle')}</h2>
        <button type="button" className="btn btn-primary" onClick={() => { setEditing('new'); setPoint(null); }}>{t('aedNew')}</button>
      </div>
      <div className="admin-columns">
        <div className="admin-col-main">
          <form className="admin-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setQuery({ ...query, q: String(new FormData(e.currentTarget).get('q') ?? ''), offset: 0 }); }}>
            <input name="q" type="search" aria-label={t('search')} placeholder={t('aedSearchHint')} defaultValue={query.q} />
            <button type="submit" className="btn btn-secondary">{t('search')}</button>
            <select aria-label={t('colStatus')} value={query.status} onChange={(e) => setQuery({ ...query, status: e.target.value as Status, offset: 0 })}>
              <option value="">{t('all')}</option>
              {(['in_service', 'in_use', 'out_of_service', 'retired'] as const).map((s) => <option key={s} value={s}>{t(`status_${s}`)}</option>)}
            </select>
            <select aria-label={t('campus')} value={query.scope} onChange={(e) => setQuery({ ...query, scope: e.target.value as 'campus' | 'all', offset: 0 })}>
              <option value="campus">{t('aedScopeCampus')}</option>
              <option value="all">{t('aedScopeAll')}</option>
            </select>
          </form>
          <LoadState loading={list.loading && !list.data} error={list.error} onRetry={list.reload} />
          {list.data && (
            <>
              <p className="admin-muted">{t('aedCount', { count: list.data.total })}</p>
              <AedTable aeds={list.data.aeds} selectedId={selected?.id ?? null} onSelect={(a) => { setEditing(a); setPoint(null); }} />
              <div className="btn-row admin-pager">
                <button type="button" className="btn btn-quiet" disabled={query.offset === 0} onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - PAGE) })}>‹</button>
                <span>{query.offset + 1}–{Math.min(query.offset + PAGE, list.data.total)} / {list.data.total}</span>
                <button type="button" className="btn btn-quiet" disabled={query.offset + PAGE >= list.data.total} onClick={() => setQuery({ ...query, offset: query.offset + PAGE })}>›</button>
              </div>
            </>
          )}
        </div>
        <div className="admin-col-side">
          {campus && (
            <CampusMap className="admin-map" layers={map.layers} tileUrl={map.tileUrl} status={map.status} showCampusAeds={false} aeds={mapAeds}
              center={campus.center} fitTo={query.scope === 'campus' ? NO_POINTS : undefined}>
              <MapUnmountGuard />
              {query.scope === 'campus' && <FitCampus bounds={campus.bounds} />}
              {editing && <MapPicker point={point ?? (selected ? { lat: selected.lat, lng: selected.lng } : null)} onPick={setPoint} />}
            </CampusMap>
          )}
          {editing && <AedForm key={selected?.id ?? 'new'} aed={selected} point={point} onSaved={onSaved} onCancel={() => { setEditing(null); setPoint(null); }} />}
          {selected && <AedActions aed={selected} onChanged={onSaved} />}
        </div>
      </div>
      <div className="admin-columns">
        <div className="admin-col-main"><AedExpiring version={version} onSelect={(a) => setEditing(a)} /></div>
        <div className="admin-col-side"><AedImportExport onImported={refresh} /></div>
      </div>
    </section>
  );
}
