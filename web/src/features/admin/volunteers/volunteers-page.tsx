import { useState } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken } from '../admin-api.ts';
import { useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { LoadState } from '../ui.tsx';
import { CertificateReminders } from './certificate-reminders.tsx';
import { VolunteerRow } from './volunteer-row.tsx';

type Filter = 'pending' | 'verified' | 'rejected' | 'all';

/** Volunteer applications with their certificates: verify or reject, and watch certificate expiry. */
export function VolunteersPage() {
  const t = useT(adminMessages);
  const [filter, setFilter] = useState<Filter>('pending');
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const list = useLoad(
    (token) => unwrap(adminApi.admin.volunteers.$get({ query: { ...(filter !== 'all' ? { verification: filter } : {}), ...(q ? { q } : {}) } }, withToken(token))),
    [filter, q, version],
  );
  const changed = () => setVersion((v) => v + 1);
  const tabs: [Filter, string][] = [['pending', t('volPending')], ['verified', t('volVerified')], ['rejected', t('volRejected')], ['all', t('all')]];

  return (
    <section className="admin-page" aria-labelledby="vol-title">
      <div className="admin-page-head">
        <h2 id="vol-title">{t('volTitle')}</h2>
      </div>
      <div className="admin-columns">
        <div className="admin-col-main">
          <div className="admin-toolbar">
            <div role="tablist" aria-label={t('volState')} className="admin-tabs">
              {tabs.map(([value, label]) => (
                <button key={value} type="button" role="tab" aria-selected={filter === value} onClick={() => setFilter(value)}>{label}</button>
              ))}
            </div>
            <form role="search" onSubmit={(e) => { e.preventDefault(); setQ(String(new FormData(e.currentTarget).get('q') ?? '')); }}>
              <input name="q" type="search" aria-label={t('search')} placeholder={t('search')} defaultValue={q} />
            </form>
          </div>
          <LoadState loading={list.loading && !list.data} error={list.error} onRetry={list.reload} />
          {list.data && list.data.volunteers.length === 0 && <p className="admin-muted">{t('volNone')}</p>}
          {list.data && list.data.volunteers.length > 0 && (
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t('volName')}</th>
                  <th scope="col">{t('volContact')}</th>
                  <th scope="col">{t('volCertificate')}</th>
                  <th scope="col">{t('volExpires')}</th>
                  <th scope="col">{t('volState')}</th>
                  <th scope="col"><span className="sr-only">{t('edit')}</span></th>
                </tr>
              </thead>
              <tbody>
                {list.data.volunteers.map((v) => <VolunteerRow key={v.id} volunteer={v} onChanged={changed} />)}
              </tbody>
            </table>
          )}
        </div>
        <div className="admin-col-side">
          <CertificateReminders version={version} />
        </div>
      </div>
    </section>
  );
}
