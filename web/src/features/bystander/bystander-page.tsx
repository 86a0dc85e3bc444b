import './bystander.css';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Call120Bar } from '../../components/call-120-bar.tsx';
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { env } from '../../config/env.ts';
import type { BystanderView } from '../../lib/api-client.ts';
import { useT } from '../../lib/i18n.ts';
import { AedList } from './aed-list.tsx';
import { CancelControl } from './cancel-control.tsx';
import { CprGuide } from './cpr-guide.tsx';
import { bystanderMessages } from './messages.ts';
import { SendingPanel } from './sending-panel.tsx';
import { SpotHeader } from './spot-header.tsx';
import { StatusPanel } from './status-panel.tsx';
import { useGps } from './use-gps.ts';
import { useIncident, useNow } from './use-incident.ts';
import { useSos } from './use-sos.ts';
import { useSpot } from './use-spot.ts';

const BystanderMap = lazy(() => import('./bystander-map.tsx'));

/**
 * The page behind the QR code (`/e/:code`). The SOS button is there at first paint and needs nothing
 * but the code in the URL; the spot text, GPS and map arrive when they can.
 */
export function BystanderPage({ code }: { code: string }) {
  const t = useT(bystanderMessages);
  const spot = useSpot(code);
  const gps = useGps();
  const sos = useSos(code, gps.fix);
  const [showCpr, setShowCpr] = useState(false);
  // When the SOS button first works: measured by the browser tests (`performance.getEntriesByName`).
  useEffect(() => void performance.mark?.('sos-ready'), []);
  const state = sos.state;
  const urgent = state.phase === 'failed' || (state.phase === 'sending' && state.problem !== null);

  return (
    <div className="page bystander">
      <SpotHeader code={code} spot={spot} />
      <main className="page-main">
        {state.phase === 'idle' && (
          <>
            <button
              type="button"
              className="sos-button"
              aria-describedby="sos-hint"
              onClick={() => {
                sos.trigger();
                gps.request();
              }}
            >
              <span className="sos-big">{t('sos')}</span>
              <span className="sos-sub">{t('sosSub')}</span>
            </button>
            <p id="sos-hint" className="sos-hint">{t('sosHint')}</p>
            {!showCpr && (
              <button type="button" className="btn btn-secondary btn-block" onClick={() => setShowCpr(true)}>
                {t('showCpr')}
              </button>
            )}
            {showCpr && <CprGuide />}
          </>
        )}
        {state.phase === 'sending' && (
          <>
            <SendingPanel state={state} onRetryNow={sos.retryNow} />
            <CprGuide />
          </>
        )}
        {state.phase === 'failed' && (
          <>
            <section className="panel panel-failed" role="alert">
              <h2>{t('sosFailed')}</h2>
            </section>
            <CprGuide />
          </>
        )}
        {state.phase === 'sent' && (
          <SentView
            key={state.incidentId}
            incidentId={state.incidentId}
            publicToken={state.publicToken}
            initial={state.view}
            campusSlug={spot.status === 'ready' ? (spot.spot.campus?.slug ?? null) : null}
            self={gps.current}
            onNewSos={sos.reset}
          />
        )}
      </main>
      <Call120Bar number={env.emergencyNumber} urgent={urgent} />
    </div>
  );
}

interface SentProps {
  incidentId: string;
  publicToken: string;
  initial: BystanderView | null;
  campusSlug: string | null;
  self: { lat: number; lng: number } | null;
  onNewSos(): void;
}

function SentView({ incidentId, publicToken, initial, campusSlug, self, onNewSos }: SentProps) {
  const t = useT(bystanderMessages);
  const feed = useIncident(incidentId, publicToken, initial);
  const [override, setOverride] = useState<BystanderView | null>(null);
  const now = useNow();
  const view = override && (!feed.view || override.state !== 'open') ? override : feed.view;
  const open = !view || view.state === 'open';
  return (
    <>
      {open ? (
        <StatusPanel view={view} receivedAt={feed.receivedAt} now={now} link={feed.link} />
      ) : (
        <section className="panel panel-closed" role="status" data-testid="incident-closed">
          <h2>{view.state === 'resolved' ? t('resolved') : t('cancelled')}</h2>
          <button type="button" className="btn btn-secondary" onClick={onNewSos}>
            {t('newSos')}
          </button>
        </section>
      )}
      {open && <CprGuide />}
      {view && <AedList aeds={view.nearestAeds} />}
      {view && (
        <section className="panel panel-map" aria-label={t('mapTitle')}>
          <ErrorBoundary fallback={<p>{t('mapFailed')}</p>}>
            <Suspense fallback={<p className="map-placeholder">{t('mapLoading')}</p>}>
              <BystanderMap view={view} campusSlug={campusSlug} self={self} />
            </Suspense>
          </ErrorBoundary>
        </section>
      )}
      {open && <CancelControl incidentId={incidentId} publicToken={publicToken} onCancelled={setOverride} />}
    </>
  );
}
