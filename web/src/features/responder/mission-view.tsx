import { lazy, Suspense, useState } from 'react';
import type { LatLng } from '../../components/campus-map/types.ts';
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { useLang, useT } from '../../lib/i18n.ts';
import { useWakeLock } from '../../lib/wake-lock.ts';
import { floorText } from '../../lib/spot-text.ts';
import { aedText, patientText } from './format.ts';
import { responderMessages } from './messages.ts';
import type { Mission } from './missions.ts';

const ResponderMap = lazy(() => import('./responder-map.tsx'));

interface Props {
  mission: Mission;
  self: LatLng | null;
  busy: boolean;
  error: string | null;
  onArrived(): void;
  onResolve(): void;
}

/** After accepting: the role, where to go (AED first for the runner), the map, "arrived", "close". */
export function MissionView({ mission, self, busy, error, onArrived, onResolve }: Props) {
  const t = useT(responderMessages);
  const lang = useLang();
  const [confirm, setConfirm] = useState(false);
  useWakeLock(true);
  const arrived = mission.status === 'arrived';
  const fetchAed = mission.role === 'aed' && mission.aed && !arrived;
  return (
    <div className="mission" data-testid="mission">
      <section className={`panel panel-role role-${mission.role}`} aria-labelledby="role-title">
        {mission.isDrill && <p className="drill-badge">{t('alertDrill')}</p>}
        <h2 id="role-title">
          {fetchAed ? t('missionAed', { where: aedText(lang, mission.aed!) }) : mission.role === 'backup' ? t('missionBackup') : t('missionCpr')}
        </h2>
        {fetchAed && <p className="then">→ {t('missionAedThen')}</p>}
        <dl className="facts">
          {mission.role === 'aed' && mission.aed && (
            <>
              <dt>{t('aedAt')}</dt>
              <dd>
                {aedText(lang, mission.aed)}
                {mission.aed.level && <span className="sub">{floorText(lang, mission.aed.level)}</span>}
                {mission.aed.openingHours && <span className="sub">{t('aedHours', { hours: mission.aed.openingHours })}</span>}
              </dd>
            </>
          )}
          <dt>{t('patientAt')}</dt>
          <dd data-testid="patient-spot">{patientText(lang, mission)}</dd>
        </dl>
        {error && <p className="form-error" role="alert">{error}</p>}
        {!arrived ? (
          <button type="button" className="btn btn-arrived btn-block" disabled={busy} onClick={onArrived}>
            {t('arrivedButton')}
          </button>
        ) : (
          <p className="arrived-note" role="status">{t('arrivedDone')}</p>
        )}
      </section>
      <section className="panel panel-map" aria-label={t('mapTitle')}>
        <ErrorBoundary fallback={<p>{t('mapFailed')}</p>}>
          <Suspense fallback={<p className="map-placeholder">{t('mapLoading')}</p>}>
            <ResponderMap mission={mission} self={self} />
          </Suspense>
        </ErrorBoundary>
      </section>
      <p className="direction-note">{t('directionNote')}</p>
      {!confirm ? (
        <button type="button" className="btn btn-quiet btn-block" onClick={() => setConfirm(true)}>
          {t('resolveButton')}
        </button>
      ) : (
        <div className="panel" role="group" aria-label={t('resolveButton')}>
          <p>{t('resolveConfirm')}</p>
          <div className="btn-row">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={onResolve}>
              {t('yes')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirm(false)}>
              {t('no')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
