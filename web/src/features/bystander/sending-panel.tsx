import { useT } from '../../lib/i18n.ts';
import { bystanderMessages } from './messages.ts';
import type { SosState } from './sos-sender.ts';
import { useNow } from './use-incident.ts';

/** The SOS on its way: never a dead end. Shows each retry, a countdown and a "retry now" button. */
export function SendingPanel({ state, onRetryNow }: { state: Extract<SosState, { phase: 'sending' }>; onRetryNow(): void }) {
  const t = useT(bystanderMessages);
  const now = useNow(250);
  const waitS = state.retryAt === null ? 0 : Math.max(0, Math.ceil((state.retryAt - now) / 1000));
  const problem = state.problem === 'rate-limited' ? t('rateLimited') : state.problem === 'server' ? t('serverError') : state.attempt > 0 ? t('retrying', { attempt: state.attempt }) : null;
  return (
    <section className="panel panel-sending" role="status" aria-live="assertive" data-testid="sos-sending">
      <div className="spinner" aria-hidden="true" />
      <h2>{t('sending')}</h2>
      {problem && <p className="problem">{problem}</p>}
      {state.retryAt !== null && waitS > 0 && <p>{t('retryIn', { seconds: waitS })}</p>}
      {state.retryAt !== null && (
        <button type="button" className="btn btn-primary" onClick={onRetryNow}>
          {t('retryNow')}
        </button>
      )}
      <p className="call-hint">{t('keepCalling')}</p>
    </section>
  );
}
