import { lazy, Suspense, useEffect } from 'react';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { BystanderPage } from '../features/bystander/bystander-page.tsx';
import { useT } from '../lib/i18n.ts';
import { HomePage } from './home-page.tsx';
import { appMessages } from './messages.ts';
import { useRoute } from './router.ts';

// Only the bystander page is in the entry bundle: the SOS button must work before anything else loads.
const ResponderApp = lazy(() => import('../features/responder/responder-app.tsx').then((m) => ({ default: m.ResponderApp })));
const AdminApp = lazy(() => import('../features/admin/admin-app.tsx').then((m) => ({ default: m.AdminApp })));

/** Composes the features per route; features never import each other. */
export function App() {
  const route = useRoute();
  const t = useT(appMessages);
  useEffect(() => {
    document.title = t('docTitle');
  }, [t]);
  const loading = <p className="loading-screen">{t('loading')}</p>;
  switch (route.name) {
    case 'bystander':
      return (
        <ErrorBoundary>
          <BystanderPage code={route.code} />
        </ErrorBoundary>
      );
    case 'responder':
      return (
        <ErrorBoundary>
          <Suspense fallback={loading}>
            <ResponderApp />
          </Suspense>
        </ErrorBoundary>
      );
    case 'admin':
      return (
        <ErrorBoundary>
          <Suspense fallback={loading}>
            <AdminApp />
          </Suspense>
        </ErrorBoundary>
      );
    case 'home':
      return <HomePage />;
    default:
      return <HomePage notFound />;
  }
}
