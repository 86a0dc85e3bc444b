import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type VolunteerSummary } from '../admin-api.ts';
import { useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { LoadState } from '../ui.tsx';

/** Certificates that expired (the planner already stopped alerting them) or expire within 30 days. */
export function CertificateReminders({ version }: { version: number }) {
  const t = useT(adminMessages);
  const list = useLoad((token) => unwrap(adminApi.admin.volunteers['certificate-reminders'].$get({ query: {} }, withToken(token))), [version]);
  const item = (v: VolunteerSummary) => (
    <li key={v.id}>
      <strong>{v.displayName}</strong> · {v.email} · {v.certificateExpiresOn}
      {v.certificateDaysLeft !== null && v.certificateDaysLeft >= 0 && <> · {t('daysLeft', { days: v.certificateDaysLeft })}</>}
    </li>
  );
  return (
    <section className="panel" aria-labelledby="vol-reminders-title">
      <h2 id="vol-reminders-title">{t('volRemindersTitle')}</h2>
      <LoadState loading={list.loading && !list.data} error={list.error} onRetry={list.reload} />
      {list.data && list.data.expired.length + list.data.expiring.length === 0 && <p className="admin-muted">{t('volNoReminders')}</p>}
      {list.data && list.data.expired.length > 0 && (
        <>
          <h3>{t('volExpiredList')}</h3>
          <ul className="admin-list admin-list-bad">{list.data.expired.map(item)}</ul>
        </>
      )}
      {list.data && list.data.expiring.length > 0 && (
        <>
          <h3>{t('volExpiringList')}</h3>
          <ul className="admin-list">{list.data.expiring.map(item)}</ul>
        </>
      )}
    </section>
  );
}
