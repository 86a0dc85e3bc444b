import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api-client.ts';
import { useT, type Translate } from '../../lib/i18n.ts';
import { responderMessages, type ResponderKey } from './messages.ts';
import type { RegisterInput } from './use-session.ts';

interface Props {
  onLogin(email: string, password: string): Promise<void>;
  onRegister(input: RegisterInput): Promise<void>;
  /** Called inside the submit tap: unlocks the alarm sound for later. */
  onGesture(): void;
}

/** The form's fields, named as the API names them. */
const FORM_FIELDS = new Set(['email', 'password', 'displayName', 'phone', 'certificateType', 'certificateNumber', 'certificateIssuer', 'certificateExpiresOn']);

function errorText(t: Translate<ResponderKey>, err: unknown): string {
  if (!(err instanceof ApiError)) return t('errorGeneric');
  if (err.isNetwork) return t('errorNetwork');
  if (err.status === 401) return t('errorCredentials');
  if (err.status === 409) return t('errorTaken');
  if (err.status === 400 && err.issues.length > 0) {
    // The API words each problem in the page's language; the form's own label names the field.
    const field = (path: string) => (FORM_FIELDS.has(path) ? t(path as ResponderKey) : path);
    return t('errorInvalid', { details: err.issues.map((i) => t('issueLine', { field: field(i.path), problem: i.message })).join(' · ') });
  }
  return t('errorGeneric');
}

/** Sign in, or apply as a volunteer (the account waits for an admin to verify the certificate). */
export function AuthScreen({ onLogin, onRegister, onGesture }: Props) {
  const t = useT(responderMessages);
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onGesture();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const optional = (k: string) => text(k) || undefined;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await onLogin(text('email'), String(form.get('password') ?? ''));
      else
        await onRegister({
          email: text('email'),
          password: String(form.get('password') ?? ''),
          displayName: text('displayName'),
          phone: optional('phone'),
          certificateType: optional('certificateType'),
          certificateNumber: optional('certificateNumber'),
          certificateIssuer: optional('certificateIssuer'),
          certificateExpiresOn: optional('certificateExpiresOn'),
        });
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };

  return (
    <section className="panel auth" aria-labelledby="auth-title">
      <h2 id="auth-title">{mode === 'login' ? t('login') : t('register')}</h2>
      <form onSubmit={submit} noValidate={false}>
        <Field name="email" label={t('email')} type="email" autoComplete="email" required />
        <Field name="password" label={t('password')} type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} required minLength={mode === 'register' ? 8 : 1} hint={mode === 'register' ? t('passwordHint') : undefined} />
        {mode === 'register' && (
          <>
            <Field name="displayName" label={t('displayName')} autoComplete="name" required />
            <Field name="phone" label={t('phone')} type="tel" autoComplete="tel" />
            <Field name="certificateType" label={t('certificateType')} hint={t('certificateTypeHint')} />
            <Field name="certificateNumber" label={t('certificateNumber')} />
            <Field name="certificateIssuer" label={t('certificateIssuer')} />
            <Field name="certificateExpiresOn" label={t('certificateExpiresOn')} type="date" />
          </>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('working') : mode === 'login' ? t('submitLogin') : t('submitRegister')}
        </button>
      </form>
      <button type="button" className="btn btn-quiet btn-block auth-switch" onClick={() => { setMode(mode === 'login' ? 'register' : 'login'); setError(null); }}>
        {mode === 'login' ? t('noAccount') : t('haveAccount')}
      </button>
    </section>
  );
}

function Field(props: { name: string; label: string; type?: string; autoComplete?: string; required?: boolean; minLength?: number; hint?: string }) {
  const id = `f-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? 'text'} autoComplete={props.autoComplete} required={props.required} minLength={props.minLength}
        aria-describedby={props.hint ? `${id}-hint` : undefined} />
      {props.hint && <span id={`${id}-hint`} className="field-hint">{props.hint}</span>}
    </div>
  );
}
