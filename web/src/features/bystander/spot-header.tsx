import { LanguageToggle } from '../../components/language-toggle.tsx';
import { pickText, useLang, useT } from '../../lib/i18n.ts';
import { floorText } from '../../lib/spot-text.ts';
import { bystanderMessages } from './messages.ts';
import type { SpotState } from './use-spot.ts';

/** Where the patient is, from the QR code alone: building, floor, entrance. Fixed height: no layout shift. */
export function SpotHeader({ code, spot }: { code: string; spot: SpotState }) {
  const t = useT(bystanderMessages);
  const lang = useLang();
  let main = t('spotLoading', { code });
  let detail = '';
  if (spot.status === 'ready') {
    const s = spot.spot;
    main = s.buildingName ?? main;
    detail = [floorText(lang, s.floor), pickText(lang, s.entranceZh, s.entrance), s.campus ? pickText(lang, s.campus.nameZh, s.campus.name) : null].filter(Boolean).join(' · ');
  }
  return (
    <header className="spot-header">
      <div className="spot-text">
        <svg className="spot-pin" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z" />
        </svg>
        <div>
          <h1 className="spot-main">{main}</h1>
          <p className="spot-detail">{spot.status === 'unknown' ? t('spotUnknown') : detail || '\u00a0'}</p>
        </div>
      </div>
      <LanguageToggle />
    </header>
  );
}
