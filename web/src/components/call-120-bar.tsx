import { useT } from '../lib/i18n.ts';
import { componentMessages } from './messages.ts';

/**
 * The emergency call link, fixed to the bottom of the screen on every page: a frightened bystander
 * must never have to look for it. `urgent` makes it pulse (the SOS cannot get through).
 */
export function Call120Bar({ number, urgent = false }: { number: string; urgent?: boolean }) {
  const t = useT(componentMessages);
  return (
    <a className={urgent ? 'call-bar call-bar-urgent' : 'call-bar'} href={`tel:${number}`} data-testid="call-120">
      <svg className="call-bar-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z" />
      </svg>
      <span>{t('call', { number })}</span>
    </a>
  );
}
