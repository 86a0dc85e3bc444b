import { pickText, useLang, useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminAed } from '../admin-api.ts';
import { useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { Badge, LoadState } from '../ui.tsx';

/** Pads and batteries that expired or expire within 30 days: what to replace before it costs minutes. */
export function AedExpiring({ version, onSelect }: { version: number; onSelect(aed: AdminAed): void }) {
  const t = useT(adminMessages);
  const lang = useLang();
  const list = useLoad((token) => unwrap(adminApi.admin.aeds.expiring.$get({ query: {} }, withToken(token))), [version]);
  const days = (d: number | null) => (d === null ? null : d < 0 ? <Badge tone="bad">{t('expired')}</Badge> : <Badge tone={d <= 7 ? 'bad' : 'warn'}>{t('daysLeft', { days: d })}</Badge>);
  return (
    <section className="panel" aria-labelledby="aed-expiring-title">
      <h2 id="aed-expiring-title">{t('expiringTitle')}</h2>
      <LoadState loading={list.loading && !list.data} error={list.error} onRetry={list.reload} />
      {list.data && list.data.aeds.length === 0 && <p className="admin-muted">{t('expiringNone')}</p>}
      {list.data && list.data.aeds.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('colRef')}</th>
              <th scope="col">{t('colLocation')}</th>
              <th scope="col">{t('colPads')}</th>
              <th scope="col">{t('colBattery')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.aeds.map((a) => (
              <tr key={a.id}>
                <td><button type="button" className="link-button" onClick={() => onSelect(a)}>{a.externalRef ?? a.osmId ?? a.id.slice(0, 8)}</button></td>
                <td>{pickText(lang, a.locationZh, a.locationEn, a.location) || '—'}</td>
                <td>{a.padExpiresOn ?? '—'} {a.padDaysLeft !== null && a.padDaysLeft <= 30 && days(a.padDaysLeft)}</td>
                <td>{a.batteryExpiresOn ?? '—'} {a.batteryDaysLeft !== null && a.batteryDaysLeft <= 30 && days(a.batteryDaysLeft)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
