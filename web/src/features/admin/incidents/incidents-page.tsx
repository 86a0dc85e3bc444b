import { useState } from 'react';
import { CampusMap } from '../../../components/campus-map/campus-map.tsx';
import { useCampusLayers } from '../../../components/campus-map/use-campus-layers.ts';
import { useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken } from '../admin-api.ts';
import { useAdmin, useLoad } from '../admin-context.tsx';
import { DrillButton } from './drill-button.tsx';
import { adminMessages } from '../i18n.ts';
import { Badge, FitCampus, formatDateTime, formatSeconds, LoadState, MapUnmountGuard, NO_POINTS } from '../ui.tsx';
import { CircleMarker, Tooltip } from 'react-leaflet';
import { IncidentTimeline } from './incident-timeline.tsx';
import { incidentPlace } from './place.ts';
import { ReportsPanel } from './reports-panel.tsx';

/** How often the live board asks again, ms: an admin watching an incident sees changes within this. */
const POLL_MS = 5_000;

/** Open incidents on a map and a list, the selected one's timeline, and after-action reports. */
export function IncidentsPage() {
  const t = useT(adminMessages);
  const lang = useLang();
  const { campus } = useAdmin();
  const map = useCampusLayers(campus?.slug);
  const [selected, setSelected] = useState<string | null>(null);
  const open = useLoad((token) => unwrap(adminApi.admin.incidents.$get({}, withToken(token))), [], POLL_MS);
  const detail = useLoad(
    (token) => (selected ? unwrap(adminApi.admin.incidents[':id'].$get({ param: { id: selected } }, withToken(token))) : Promise.resolve(null)),
    [selected],
    selected ? POLL_MS : undefined,
  );
  const incidents = open.data?.incidents ?? [];
  const current = detail.data;
  const responders = (current?.dispatches ?? [])
    .filter((d) => d.position)
    .map((d, i) => ({ id: d.volunteerId, lat: d.position!.lat, lng: d.position!.lng, role: d.role, label: String(i + 1) }));
  const patient = current ? { lat: current.lat, lng: current.lng } : null;

  return (
    <section className="admin-page" aria-labelledby="inc-title">
      <div className="admin-page-head">
        <h2 id="inc-title">{t('incTitle')}</h2>
        <DrillButton onStarted={open.reload} />
      </div>
      <div className="admin-columns">
        <div className="admin-col-main">
          <LoadState loading={open.loading && !open.data} error={open.error} onRetry={open.reload} />
          {open.data && incidents.length === 0 && <p className="admin-muted">{t('incNone')}</p>}
          {incidents.length > 0 && (
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t('incOpened')}</th>
                  <th scope="col">{t('incPlace')}</th>
                  <th scope="col">{t('incAlerted')}</th>
                  <th scope="col">{t('incAccepted')}</th>
                  <th scope="col">{t('incArrived')}</th>
                  <th scope="col">{t('incFirstAccept')}</th>
                  <th scope="col">{t('incFirstCpr')}</th>
                  <th scope="col">{t('incAedArrival')}</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map((i) => (
                  <tr key={i.id} className={i.id === selected ? 'is-selected' : undefined}>
                    <td><button type="button" className="link-button" onClick={() => setSelected(i.id)}>{formatDateTime(i.createdAt, lang)}</button>{i.isDrill && <> <Badge tone="muted">{t('drillBadge')}</Badge></>}</td>
                    <td>{incidentPlace(lang, i)}</td>
                    <td>{i.alerted}</td>
                    <td>{i.accepted}</td>
                    <td>{i.arrived}</td>
                    <td>{formatSeconds(i.times.firstAcceptS)}</td>
                    <td>{formatSeconds(i.times.firstArrivalS)}</td>
                    <td>{formatSeconds(i.times.aedArrivalS)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {current && <IncidentTimeline incident={current} />}
        </div>
        <div className="admin-col-side">
          {campus && (
            <CampusMap className="admin-map" layers={map.layers} tileUrl={map.tileUrl} status={map.status} showCampusAeds
              center={campus.center} patient={patient} responders={responders} fitTo={patient ? [patient, ...responders] : NO_POINTS}>
              <MapUnmountGuard />
              {!patient && <FitCampus bounds={campus.bounds} />}
              {!patient && incidents.map((i) => (
                <CircleMarker key={i.id} center={[i.lat, i.lng]} radius={9} pathOptions={{ color: '#c4001d', weight: 3, fillColor: '#c4001d', fillOpacity: 0.6 }}
                  eventHandlers={{ click: () => setSelected(i.id) }}>
                  <Tooltip>{incidentPlace(lang, i)}</Tooltip>
                </CircleMarker>
              ))}
            </CampusMap>
          )}
        </div>
      </div>
      <ReportsPanel />
    </section>
  );
}
