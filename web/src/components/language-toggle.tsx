import { setLang, useLang, useT } from '../lib/i18n.ts';
import { componentMessages } from './messages.ts';

/** One button that switches between Chinese and English, labelled in the language it switches to. */
export function LanguageToggle() {
  const lang = useLang();
  const t = useT(componentMessages);
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button type="button" className="lang-toggle" lang={next} aria-label={t('switchLabel')} onClick={() => setLang(next)}>
      {t('switchTo')}
    </button>
  );
}
