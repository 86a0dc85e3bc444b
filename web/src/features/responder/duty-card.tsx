import { useT } from '../../lib/i18n.ts';
import type { Duty, User } from '../../lib/api-client.ts';
import type { RealtimeStatus } from '../../lib/ws-client.ts';
import { responderMessages } from './messages.ts';
import type { PositionState } from './use-duty.ts';

interface Props {
  user: User;
  duty: Duty | null;
  busy: boolean;
  position: PositionState;
  link: RealtimeStatus;
  soundReady: boolean;
  /** The last duty change failed (network). */
  failed: boolean;
  onToggle(): void;
  onUnlockSound(): void;
}

/** Verification status, the duty switch, position sharing and the live link, at a glance. */
export function DutyCard({ user, duty, busy, position, link, soundReady, failed, onToggle, onUnlockSound }: Props) {
  const t = useT(responderMessages);
  const on = !!duty?.onDuty;
  return (
    <>
      {user.verification === 'pending' && (
        <section className="panel panel-pending" role="status" data-testid="verification-pending">
          <h2>{t('pendingTitle')}</h2>
          <p>{t('pendingBody')}</p>
        </section>
      )}
      {user.verification === 'rejected' && (
        <section className="panel panel-rejected" role="status">
          <h2>{t('rejectedTitle')}</h2>
          <p>{t('rejectedBody')}</p>
        </section>
      )}
      {user.verification === 'verified' && <p className="verified-badge">✓ {t('verified')}</p>}
      <section className={`panel duty ${on ? 'duty-on' : 'duty-off'}`} aria-labelledby="duty-title">
        <h2 id="duty-title" data-testid="duty-state">{on ? t('onDuty') : t('offDuty')}</h2>
        <button type="button" className={`btn btn-block ${on ? 'btn-secondary' : 'btn-duty'}`} aria-pressed={on} disabled={busy || !duty} onClick={onToggle}>
          {on ? t('goOffDuty') : t('goOnDuty')}
        </button>
        {failed && <p className="form-error" role="alert">{t('errorNetwork')}</p>}
        <p className="hint">{t('dutyHint')}</p>
        {on && <p className="position-line" role="status">{positionText(t, position)}</p>}
        {on && (
          <p className={`link-line ${link === 'live' ? 'link-live' : 'link-down'}`} role="status">
            {link === 'live' ? t('linkLive') : link === 'unauthorized' ? t('linkUnauthorized') : t('linkDown')}
          </p>
        )}
        {on && !soundReady && (
          <button type="button" className="btn btn-primary btn-block" onClick={onUnlockSound}>
            🔔 {t('soundLocked')}
          </button>
        )}
      </section>
    </>
  );
}

function positionText(t: ReturnType<typeof useT<keyof (typeof responderMessages)['en']>>, p: PositionState): string {
  switch (p.kind) {
    case 'ok':
      return t('positionSharing', { metres: p.accuracyM });
    case 'denied':
      return t('positionDenied');
    case 'unsupported':
      return t('positionUnsupported');
    default:
      return t('positionWaiting');
  }
}
