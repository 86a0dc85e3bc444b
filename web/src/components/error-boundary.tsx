import { Component, type ReactNode } from 'react';
import { env } from '../config/env.ts';
import { translate, getLang } from '../lib/i18n.ts';
import { Call120Bar } from './call-120-bar.tsx';
import { componentMessages } from './messages.ts';

interface Props {
  children: ReactNode;
  /** Shown instead of the default panel. */
  fallback?: ReactNode;
}

/**
 * Catches a feature's render errors so the rest of the page (the call link above all) keeps working.
 * Shows no stack trace and no internal message.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    if (this.props.fallback !== undefined) return this.props.fallback;
    const t = (k: keyof (typeof componentMessages)['en']) => translate(componentMessages, getLang(), k);
    return (
      <section className="panel" role="alert">
        <h2>{t('errorTitle')}</h2>
        <p>{t('errorBody')}</p>
        <button type="button" className="btn btn-secondary" onClick={() => window.location.reload()}>
          {t('reload')}
        </button>
        <Call120Bar number={env.emergencyNumber} urgent />
      </section>
    );
  }
}
