import { useState } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminAed } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote, Field, issueFor } from '../ui.tsx';

/** What an admin does to an AED besides editing it: confirm it on site, return it to service, retire it. */
export function AedActions({ aed, onChanged }: { aed: AdminAed; onChanged(aed: AdminAed): void }) {
  const t = useT(adminMessages);
  const { run, busy, error } = useAction();
  const [pads, setPads] = useState('');
  const [battery, setBattery] = useState('');
  const param = { param: { id: aed.id } };
  const done = (a: AdminAed | undefined) => a && onChanged(a);

  const needsReturn = aed.status === 'in_use' || aed.status === 'out_of_service';
  return (
    <section className="panel admin-actions" aria-label={t('edit')}>
      <div className="btn-row">
        {aed.status !== 'retired' && (
          <button type="button" className="btn btn-secondary" disabled={busy}
            onClick={async () => done(await run((token) => unwrap(adminApi.admin.aeds[':id']['confirm-check'].$post(param, withToken(token)))))}>
            {t('confirmCheck')}
          </button>
        )}
        {aed.status !== 'retired' && (
          <button type="button" className="btn btn-quiet" disabled={busy}
            onClick={async () => window.confirm(t('retireConfirm')) && done(await run((token) => unwrap(adminApi.admin.aeds[':id'].retire.$post(param, withToken(token)))))}>
            {t('retire')}
          </button>
        )}
      </div>
      {needsReturn && (
        <form
          className="admin-return"
          onSubmit={async (e) => {
            e.preventDefault();
            const json = { padExpiresOn: pads, ...(battery ? { batteryExpiresOn: battery } : {}) };
            done(await run((token) => unwrap(adminApi.admin.aeds[':id']['return-to-service'].$post({ ...param, json }, withToken(token)))));
          }}
        >
          <h3>{t('returnToService')}</h3>
          <p className="admin-muted">{t('returnHint')}</p>
          <Field id="return-pads" label={t('newPads')} problem={issueFor(error, 'padExpiresOn')}>
            <input id="return-pads" type="date" required value={pads} onChange={(e) => setPads(e.target.value)} />
          </Field>
          <Field id="return-battery" label={t('newBattery')} problem={issueFor(error, 'batteryExpiresOn')}>
            <input id="return-battery" type="date" value={battery} onChange={(e) => setBattery(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || !pads}>{t('returnToService')}</button>
        </form>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
