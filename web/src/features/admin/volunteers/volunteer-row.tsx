import { useState } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type VolunteerSummary } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { Badge, ErrorNote, useKeyed } from '../ui.tsx';

const certTone = { none: 'muted', valid: 'ok', expiring: 'warn', expired: 'bad' } as const;
const verificationTone = { pending: 'warn', verified: 'ok', rejected: 'bad' } as const;

/** One volunteer: the application, the certificate, and verify / reject. */
export function VolunteerRow({ volunteer: v, onChanged }: { volunteer: VolunteerSummary; onChanged(): void }) {
  const t = useT(adminMessages);
  const keyed = useKeyed();
  const { run, busy, error } = useAction();
  const [mode, setMode] = useState<'idle' | 'verify' | 'reject'>('idle');
  const [expiry, setExpiry] = useState(v.certificateExpiresOn ?? '');
  const [reason, setReason] = useState('');
  const param = { param: { id: v.id } };

  const verify = async () => {
    const json = expiry ? { certificateExpiresOn: expiry } : {};
    if (await run((token) => unwrap(adminApi.admin.volunteers[':id'].verify.$post({ ...param, json }, withToken(token))))) onChanged();
  };
  const reject = async () => {
    if (await run((token) => unwrap(adminApi.admin.volunteers[':id'].reject.$post({ ...param, json: { reason } }, withToken(token))))) onChanged();
  };

  return (
    <tr>
      <td>
        <strong>{v.displayName}</strong>
        <div className="admin-muted">{v.appliedAt.slice(0, 10)}</div>
      </td>
      <td>
        <div>{v.email}</div>
        <div className="admin-muted">{v.phone ?? ''}</div>
      </td>
      <td>
        <div>{v.certificateType ?? '—'} {v.certificateNumber ? <span className="admin-mono">{v.certificateNumber}</span> : null}</div>
        <div className="admin-muted">{v.certificateIssuer ?? ''}</div>
      </td>
      <td className="admin-nowrap">
        <div>{v.certificateExpiresOn ?? '—'}</div>
        <Badge tone={certTone[v.certificateState]}>{keyed('cert', v.certificateState)}</Badge>
      </td>
      <td>
        <Badge tone={verificationTone[v.verification]}>{t(v.verification === 'pending' ? 'volPending' : v.verification === 'verified' ? 'volVerified' : 'volRejected')}</Badge>{' '}
        {v.dispatchable ? <Badge tone="ok">{t('volDispatchable')}</Badge> : <Badge tone="muted">{t('volNotDispatchable')}</Badge>}
        {v.rejectionReason && <div className="admin-muted">{v.rejectionReason}</div>}
      </td>
      <td className="admin-row-actions">
        {mode === 'idle' && (
          <>
            {v.verification !== 'verified' && (
              <button type="button" className="btn btn-primary btn-small" aria-label={`${t('volVerify')} ${v.displayName}`} onClick={() => setMode('verify')}>{t('volVerify')}</button>
            )}
            {v.verification === 'verified' && (v.certificateState === 'expiring' || v.certificateState === 'expired') && (
              <button type="button" className="btn btn-secondary btn-small" aria-label={`${t('volRenew')} ${v.displayName}`} onClick={() => { setExpiry(''); setMode('verify'); }}>{t('volRenew')}</button>
            )}
            {v.verification !== 'rejected' && (
              <button type="button" className="btn btn-quiet btn-small" aria-label={`${t('volReject')} ${v.displayName}`} onClick={() => setMode('reject')}>{t('volReject')}</button>
            )}
          </>
        )}
        {mode === 'verify' && (
          <form className="admin-inline-form" onSubmit={(e) => { e.preventDefault(); void verify(); }}>
            <label>
              {t('volExpiryInput')}
              <input type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-primary btn-small" disabled={busy}>{t('volVerify')}</button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setMode('idle')}>{t('cancel')}</button>
          </form>
        )}
        {mode === 'reject' && (
          <form className="admin-inline-form" onSubmit={(e) => { e.preventDefault(); void reject(); }}>
            <label>
              {t('volReason')}
              <input value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-danger btn-small" disabled={busy || !reason.trim()}>{t('volReject')}</button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setMode('idle')}>{t('cancel')}</button>
          </form>
        )}
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}
