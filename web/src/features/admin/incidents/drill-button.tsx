import { useState } from 'react';
import { useLang, useT } from '../../../lib/i18n.ts';
import { fetchAdmin } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote } from '../ui.tsx';

/**
 * Runs one simulated incident on the live system (POST /api/admin/drills): drill volunteers go on
 * duty near a QR spot, answer and walk; the incident is marked as a drill everywhere it shows.
 */
export function DrillButton({ onStarted }: { onStarted(): void }) {
  const t = useT(adminMessages);
  useLang();
  const { run, busy, error } = useAction();
  const [started, setStarted] = useState<string | null>(null);
  const start = async () => {
    const res = await run(async (token) =>
      (await fetchAdmin('/admin/drills', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json() as Promise<{ incidentId: string }>,
    );
    if (res) {
      setStarted(res.incidentId);
      onStarted();
    }
  };
  return (
    <div className="admin-drill">
      <button type="button" className="admin-button" disabled={busy} onClick={() => void start()}>
        {t('drillStart')}
      </button>
      {started && <p role="status">{t('drillStarted')}</p>}
      {error && <ErrorNote error={error} />}
    </div>
  );
}
