import { useEffect, useRef } from 'react';
import { formatClock, useLang, useT } from '../../lib/i18n.ts';
import { aedText, patientText } from './format.ts';
import { responderMessages } from './messages.ts';
import type { Mission } from './missions.ts';

interface Props {
  mission: Mission;
  busy: boolean;
  error: string | null;
  onAccept(): void;
  onDecline(): void;
}

/** The alert: full screen, flashing, with the role and the spot, and two huge answers. */
export function AlertOverlay({ mission, busy, error, onAccept, onDecline }: Props) {
  const t = useT(responderMessages);
  const lang = useLang();
  const accept = useRef<HTMLButtonElement>(null);
  useEffect(() => accept.current?.focus(), [mission.incidentId]);
  const role = mission.role === 'aed' ? t('alertRoleAed') : mission.role === 'backup' ? t('alertRoleBackup') : t('alertRoleCpr');
  return (
    <div className={`alert-overlay ${mission.isDrill ? 'is-drill' : ''}`} role="alertdialog" aria-modal="true" aria-labelledby="alert-title" aria-describedby="alert-role" data-testid="alert">
      <div className="alert-inner">
        {mission.isDrill && <p className="alert-drill">{t('alertDrill')}</p>}
        <h1 id="alert-title" className="alert-title">{t('alertTitle')}</h1>
        <p id="alert-role" className="alert-role">{role}</p>
        <p className="alert-spot">{patientText(lang, mission)}</p>
        {mission.role === 'aed' && mission.aed && <p className="alert-aed">AED: {aedText(lang, mission.aed)}</p>}
        {mission.etaS !== null && <p className="alert-eta">{t('alertEta', { time: formatClock(mission.etaS) })}</p>}
        {error && <p className="alert-error" role="alert">{error}</p>}
        <div className="alert-actions">
          <button ref={accept} type="button" className="btn alert-accept" disabled={busy} onClick={onAccept}>
            {t('accept')}
          </button>
          <button type="button" className="btn alert-decline" disabled={busy} onClick={onDecline}>
            {t('decline')}
          </button>
        </div>
      </div>
    </div>
  );
}
