import './admin.css';
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { LanguageToggle } from '../../components/language-toggle.tsx';
import { env } from '../../config/env.ts';
import { useT } from '../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminCampus } from './admin-api.ts';
import { AdminContext, useAdmin } from './admin-context.tsx';
import { ApiError, NotAdminError, useAdminSession } from './admin-session.ts';
import { adminMessages, type AdminKey } from './i18n.ts';

const AedRegistryPage = lazy(() => import('./aeds/aed-registry-page.tsx').then((m) => ({ default: m.AedRegistryPage })));
const QrPage = lazy(() => import('./qr/qr-page.tsx').then((m) => ({ default: m.QrPage })));
const VolunteersPage = lazy(() => import('./volunteers/volunteers-page.tsx').then((m) => ({ default: m.VolunteersPage })));
const IncidentsPage = lazy(() => import('./incidents/incidents-page.tsx').then((m) => ({ default: m.IncidentsPage })));
const CoveragePage = lazy(() => import('./coverage/coverage-page.tsx').then((m) => ({ default: m.CoveragePage })));

const SECTIONS = [
  { path: 'aeds', label: 'navAeds', Page: AedRegistryPage },
  { path: 'qr', label: 'navQr', Page: QrPage },
  { path: 'volunteers', label: 'navVolunteers', Page: VolunteersPage },
  { path: 'incidents', label: 'navIncidents', Page: IncidentsPage },
  { path: 'coverage', label: 'navCoverage', Page: CoveragePage },
] as const satisfies readonly { path: string; label: AdminKey; Page: unknown }[];

type SectionPath = (typeof SECTIONS)[number]['path'];

function sectionOf(pathname: string): SectionPath {
  const part = pathname.replace(/^\/admin\/?/, '').split('/')[0];
  return SECTIONS.find((s) => s.path === part)?.path ?? 'aeds';
}

/** /admin/<section>: follows the address bar, so sections can be bookmarked and the back button works. */
function useSection(): [SectionPath, (s: SectionPath) => void] {
  const [section, setSection] = useState(() => sectionOf(window.location.pathname));
  useEffect(() => {
    const onPop = () => setSection(sectionOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (s: SectionPath) => {
    window.history.pushState(null, '', `/admin/${s}`);
    setSection(s);
  };
  return [section, go];
}

/** The admin console: sign-in, then the registry, QR codes, volunteers, incidents and coverage. */
export function AdminApp() {
  const t = useT(adminMessages);
  const { session, login, logout, expire } = useAdminSession();
  const [campuses, setCampuses] = useState<AdminCampus[] | null>(null);
  const [campusId, setCampusId] = useState<string | null>(null);
  const [section, go] = useSection();
  const token = session?.token ?? null;

  useEffect(() => {
    if (!token) return;
    let alive = true;
    unwrap(adminApi.admin.campuses.$get({}, withToken(token))).then(
      (r) => {
        if (!alive) return;
        setCampuses(r.campuses);
        setCampusId((id) => id ?? r.campuses[0]?.id ?? null);
      },
      (err: unknown) => err instanceof ApiError && err.status === 401 && expire(),
    );
    return () => {
      alive = false;
    };
  }, [token, expire]);

  if (!session) return <SignIn onSignIn={login} />;
  const campus = campuses?.find((c) => c.id === campusId) ?? null;
  const { Page } = SECTIONS.find((s) => s.path === section)!;
  return (
    <AdminContext.Provider value={{ token: session.token, expire, campus }}>
      <div className="admin">
        <header className="admin-header">
          <h1 className="admin-title">{t('title')}</h1>
          <nav aria-label={t('title')} className="admin-nav">
            {SECTIONS.map((s) => (
              <a key={s.path} href={`/admin/${s.path}`} aria-current={s.path === section ? 'page' : undefined}
                onClick={(e) => { e.preventDefault(); go(s.path); }}>
                {t(s.label)}
              </a>
            ))}
          </nav>
          <div className="admin-header-tools">
            {campuses && campuses.length > 1 && (
              <label>
                {t('campus')}{' '}
                <select value={campusId ?? ''} onChange={(e) => setCampusId(e.target.value)}>
                  {campuses.map((c) => <option key={c.id} value={c.id}>{c.nameZh ?? c.name}</option>)}
                </select>
              </label>
            )}
            {campuses?.length === 1 && campus && <span className="admin-campus">{campus.nameZh ?? campus.name}</span>}
            <CallLink />
            <span className="admin-user">{session.user.email}</span>
            <LanguageToggle />
            <button type="button" className="btn btn-quiet" onClick={() => void logout()}>{t('signOut')}</button>
          </div>
        </header>
        <main className="admin-main">
          <ErrorBoundary key={section}>
            <Suspense fallback={<p className="loading-screen">{t('loading')}</p>}>
              <Page />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </AdminContext.Provider>
  );
}

function SignIn({ onSignIn }: { onSignIn: (email: string, password: string) => Promise<void> }) {
  const t = useT(adminMessages);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await onSignIn(String(form.get('email')), String(form.get('password')));
    } catch (err) {
      setError(err instanceof NotAdminError ? t('notAdmin') : err instanceof ApiError && err.status === 401 ? t('signInFailed') : t('loadFailed', { message: String((err as Error).message) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="admin-signin">
      <div className="admin-signin-lang"><CallLink /> <LanguageToggle /></div>
      <form className="panel" onSubmit={submit} aria-labelledby="admin-signin-title">
        <h1 id="admin-signin-title">{t('title')}</h1>
        <div className="field">
          <label htmlFor="admin-email">{t('email')}</label>
          <input id="admin-email" name="email" type="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="admin-password">{t('password')}</label>
          <input id="admin-password" name="password" type="password" autoComplete="current-password" required />
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{t('signIn')}</button>
      </form>
    </main>
  );
}


/** The emergency number stays one click away here too: an admin may be the one watching an incident. */
function CallLink() {
  const t = useT(adminMessages);
  return <a className="admin-call" href={`tel:${env.emergencyNumber}`}>{t('call', { number: env.emergencyNumber })}</a>;
}
