import { formatClock, useT } from '../../lib/i18n.ts';
import type { BystanderView } from '../../lib/api-client.ts';
import type { RealtimeStatus } from '../../lib/ws-client.ts';
import { bystanderMessages } from './messages.ts';

interface Props {
  view: BystanderView | null;
  receivedAt: number;
  now: number;
  link: RealtimeStatus;
}

/** Who is coming and when: volunteers alerted, accepted, the CPR and AED ETAs counting down, arrivals. */
export function StatusPanel({ view, receivedAt, now, link }: Props) {
  const t = useT(bystanderMessages);
  const elapsedS = (now - receivedAt) / 1000;
  return (
    <section className="panel panel-status" aria-labelledby="status-title" data-testid="incident-status">
      <div className="status-head">
        <h2 id="status-title">
          <span className="check" aria-hidden="true">✓</span> {t('sent')}
        </h2>
        {view?.isDrill && <span className="drill-badge">{t('drill')}</span>}
        <span className={`link-dot link-${link === 'live' ? 'live' : 'down'}`}>{link === 'live' ? t('live') : t('reconnecting')}</span>
      </div>
      <div aria-live="polite">
        {view && (
          <>
            <p className="status-line" data-testid="alerted">{view.alerted > 0 ? t('alerted', { count: view.alerted }) : t('noneAlerted')}</p>
            <p className="status-line" data-testid="accepted">{view.accepted > 0 ? t('accepted', { count: view.accepted }) : view.alerted > 0 ? t('waitingAccept') : ''}</p>
          </>
        )}
      </div>
      {view && (
        <dl className="eta-grid">
          <Eta label={t('cprEta')} eta={view.cpr} elapsedS={elapsedS} testId="eta-cpr" />
          <Eta label={t('aedEta')} eta={view.aed} elapsedS={elapsedS} testId="eta-aed" />
        </dl>
      )}
    </section>
  );
}

function Eta({ label, eta, elapsedS, testId }: { label: string; eta: BystanderView['cpr']; elapsedS: number; testId: string }) {
  const t = useT(bystanderMessages);
  let text: string;
  if (eta.arrived) text = t('arrived');
  else if (eta.etaS === null) text = t('searching');
  else {
    const time = formatClock(Math.max(0, eta.etaS - elapsedS));
    text = eta.confirmed ? t('etaIn', { time }) : t('etaPlanned', { time });
  }
  return (
    <div className={`eta ${eta.arrived ? 'eta-arrived' : eta.confirmed ? 'eta-confirmed' : ''}`} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </div>
  );
}
