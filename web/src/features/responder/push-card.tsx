import { useT } from '../../lib/i18n.ts';
import { responderMessages } from './messages.ts';
import type { PushState } from './use-push.ts';

const STATUS_KEY = {
  working: 'pushWorking',
  off: 'pushOff',
  blocked: 'pushBlocked',
  unsupported: 'pushUnsupported',
  failed: 'pushFailed',
} as const;

/**
 * Push on this device: the explanation shown before the browser asks for permission, the status
 * (working, off, blocked, unsupported), and a test alert.
 */
export function PushCard({ push }: { push: PushState }) {
  const t = useT(responderMessages);
  if (push.explaining) {
    return (
      <section className="panel push-explain" role="dialog" aria-labelledby="push-explain-title" data-testid="push-explain">
        <h2 id="push-explain-title">🔔 {t('pushExplainTitle')}</h2>
        <p>{t('pushExplainBody')}</p>
        <button type="button" className="btn btn-primary btn-block" onClick={push.enable}>
          {t('pushAllow')}
        </button>
        <button type="button" className="btn btn-quiet btn-block" onClick={push.dismiss}>
          {t('pushLater')}
        </button>
      </section>
    );
  }
  const canEnable = push.status === 'off' || push.status === 'failed';
  return (
    <section className="panel push-status" data-testid="push-status" data-status={push.status}>
      <p className={`link-line ${push.status === 'working' ? 'link-live' : 'link-down'}`} role="status">
        {t(STATUS_KEY[push.status])}
      </p>
      {canEnable && (
        <button type="button" className="btn btn-secondary btn-block" disabled={push.busy} onClick={push.offerNow}>
          {t('pushEnable')}
        </button>
      )}
      {push.status === 'working' && (
        <button type="button" className="btn btn-secondary btn-block" disabled={push.busy} onClick={() => void push.sendTest()}>
          {t('pushTest')}
        </button>
      )}
      {push.test && (
        <p className="hint" role="status">
          {push.test.kind === 'sent' ? t('pushTestSent', { delivered: push.test.delivered, devices: push.test.devices }) : t('pushTestFailed')}
        </p>
      )}
    </section>
  );
}
