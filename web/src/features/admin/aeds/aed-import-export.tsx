import { useState, type FormEvent } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { download, fetchAdmin } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote, Field } from '../ui.tsx';

interface ImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: { index: number; reason: string }[];
  warnings: { index: number; reason: string }[];
}

/** Upload OSM-tagged GeoJSON to POST /admin/aeds/import; download GET /admin/aeds/export.geojson. */
export function AedImportExport({ onImported }: { onImported(): void }) {
  const t = useT(adminMessages);
  const { run, busy, error } = useAction();
  const [result, setResult] = useState<ImportResult | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const source = String(data.get('source') ?? '').trim();
    const body = new FormData();
    body.append('file', data.get('file') as File);
    const query = source ? `?source=${encodeURIComponent(source)}` : '';
    const res = await run(async (token) => (await fetchAdmin(`/admin/aeds/import${query}`, token, { method: 'POST', body })).json() as Promise<ImportResult>);
    if (res) {
      setResult(res);
      onImported();
    }
  };

  return (
    <section className="panel" aria-labelledby="aed-import-title">
      <h2 id="aed-import-title">{t('importTitle')}</h2>
      <p className="admin-muted">{t('importHint')}</p>
      <form onSubmit={submit} className="admin-import">
        <Field id="aed-import-file" label={t('importFile')}>
          <input id="aed-import-file" name="file" type="file" accept=".geojson,.json,application/geo+json,application/json" required />
        </Field>
        <Field id="aed-import-source" label={t('importSource')}>
          <input id="aed-import-source" name="source" pattern="[a-z0-9][a-z0-9._\-]{0,63}" placeholder="import" />
        </Field>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={busy}>{t('importRun')}</button>
          <button type="button" className="btn btn-secondary" disabled={busy}
            onClick={() => run(async (token) => download(await fetchAdmin('/admin/aeds/export.geojson', token), 'aed-registry.geojson'))}>
            {t('exportRun')}
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {result && (
        <div role="status">
          <p><strong>{t('importResult', { imported: result.imported, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected.length })}</strong></p>
          {result.rejected.length > 0 && (
            <ul className="admin-issues">
              {result.rejected.slice(0, 20).map((r) => <li key={r.index}>#{r.index}: {r.reason}</li>)}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
