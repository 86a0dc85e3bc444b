import { useState } from 'react';
import { api, requestInit, unwrap, type BystanderView } from '../../lib/api-client.ts';
import { useT } from '../../lib/i18n.ts';
import { bystanderMessages } from './messages.ts';

/** "False alarm / help is here": two taps, so a trembling hand does not call the volunteers off. */
export function CancelControl({ incidentId, publicToken, onCancelled }: { incidentId: string; publicToken: string; onCancelled(view: BystanderView): void }) {
  const t = useT(bystanderMessages);
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy' | 'failed'>('idle');
  const cancel = async () => {
    setStep('busy');
    try {
      onCancelled(await unwrap(api.incidents[':id'].cancel.$post({ param: { id: incidentId }, header: {}, query: {} }, requestInit({ incidentToken: publicToken }))));
      setStep('idle');
    } catch {
      setStep('failed');
    }
  };
  if (step === 'idle') {
    return (
      <button type="button" className="btn btn-quiet btn-block" onClick={() => setStep('confirm')}>
        {t('cancel')}
      </button>
    );
  }
  return (
    <div className="panel panel-confirm" role="group" aria-label={t('cancel')}>
      <p>{step === 'failed' ? t('cancelFailed') : t('cancelConfirm')}</p>
      <div className="btn-row">
        <button type="button" className="btn btn-danger" disabled={step === 'busy'} onClick={cancel}>
          {t('cancelYes')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setStep('idle')}>
          {t('cancelNo')}
        </button>
      </div>
    </div>
  );
}
