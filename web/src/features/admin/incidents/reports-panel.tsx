import { useState } from 'react';
import { useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, download, fetchAdmin, unwrap, withToken } from '../admin-api.ts';
import { useAction, useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { incidentPlace } from './place.ts';
import { ErrorNote, formatDateTime, formatSeconds, LoadState, useKeyed } from '../ui.tsx';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** After-action reports for a date range: response times per incident, and the same as CSV. */
export function ReportsPanel() {
  const t = useT(adminMessages);
  const lang = useLang();
  const keyed = useKeyed();
  const [range, setRange] = useState({ from: daysAgo(30), to: today(), drills: false });
  const query = { from: range.from, to: range.to, drills: String(range.drills) as 'true' | 'false' };
  const reports = useLoad((token) => unwrap(adminApi.admin.reports.$get({ query }, withToken(token))), [range]);
  const csv = useAction();

  return (
    <section className="panel" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('reportsTitle')}</h2>
      <form className="admin-toolbar" onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setRange({ from: String(f.get('from')), to: String(f.get('to')), drills: f.get('drills') === 'on' });
      }}>
        <label>{t('reportsFrom')} <input name="from" type="date" defaultValue={range.from} required /></label>
        <label>{t('reportsTo')} <input name="to" type="date" defaultValue={range.to} required /></label>
        <label><input name="drills" type="checkbox" defaultChecked={range.drills} /> {t('reportsDrills')}</label>
        <button type="submit" className="btn btn-secondary">{t('reportsLoad')}</button>
        <button type="button" className="btn btn-primary" disabled={csv.busy}
          onClick={() => csv.run(async (token) => download(await fetchAdmin(`/admin/reports.csv?${new URLSearchParams(query)}`, token), 'after-action-reports.csv'))}>
          {t('reportsCsv')}
        </button>
      </form>
      <ErrorNote error={csv.error} />
      <LoadState loading={reports.loading && !reports.data} error={reports.error} onRetry={reports.reload} />
      {reports.data && reports.data.reports.length === 0 && <p className="admin-muted">{t('reportsNone')}</p>}
      {reports.data && reports.data.reports.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('incOpened')}</th>
              <th scope="col">{t('incPlace')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('incAlerted')}</th>
              <th scope="col">{t('incFirstAccept')}</th>
              <th scope="col">{t('incFirstCpr')}</th>
              <th scope="col">{t('incAedArrival')}</th>
            </tr>
          </thead>
          <tbody>
            {reports.data.reports.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.createdAt, lang)}</td>
                <td>{incidentPlace(lang, r)}</td>
                <td>{keyed('state', r.state)}</td>
                <td>{r.alerted}</td>
                <td>{formatSeconds(r.times.firstAcceptS)}</td>
                <td className={r.times.firstArrivalS !== null && r.times.firstArrivalS > 240 ? 'is-late' : undefined}>{formatSeconds(r.times.firstArrivalS)}</td>
                <td className={r.times.aedArrivalS !== null && r.times.aedArrivalS > 240 ? 'is-late' : undefined}>{formatSeconds(r.times.aedArrivalS)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
