import { Call120Bar } from '../components/call-120-bar.tsx';
import { LanguageToggle } from '../components/language-toggle.tsx';
import { env } from '../config/env.ts';
import { useT } from '../lib/i18n.ts';
import { appMessages } from './messages.ts';

/** The root page: what this is, and where volunteers and admins go. */
export function HomePage({ notFound = false }: { notFound?: boolean }) {
  const t = useT(appMessages);
  return (
    <div className="page shell-home">
      <header className="app-header">
        <h1>{t('title')}</h1>
        <LanguageToggle />
      </header>
      <main className="page-main">
        {notFound && <p role="alert">{t('notFound')}</p>}
        <p>{t('intro')}</p>
        <nav aria-label={t('title')}>
          <ul>
            <li><a href="/responder">{t('responder')}</a></li>
            <li><a href="/admin">{t('admin')}</a></li>
            <li><a href="/api/docs">{t('api')}</a></li>
          </ul>
        </nav>
      </main>
      <Call120Bar number={env.emergencyNumber} />
    </div>
  );
}
