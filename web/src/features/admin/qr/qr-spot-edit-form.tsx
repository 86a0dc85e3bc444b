import { useState, type FormEvent } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminQrSpot } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote, Field, issueFor } from '../ui.tsx';
import { SpotTextFields } from './qr-spot-form.tsx';

/**
 * Corrects what a spot says (building name, floor, entrance) under the same code: the sticker on the
 * wall keeps working. An emptied field is cleared.
 */
export function QrSpotEditForm({ spot, onSaved, onCancel }: { spot: AdminQrSpot; onSaved(spot: AdminQrSpot): void; onCancel(): void }) {
  const t = useT(adminMessages);
  const { run, busy, error } = useAction();
  const [form, setForm] = useState({ buildingName: spot.buildingName ?? '', floor: spot.floor ?? '', entranceZh: spot.entranceZh ?? '', entrance: spot.entrance ?? '' });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const orNull = (v: string) => (v.trim() ? v.trim() : null);
    const json = { buildingName: orNull(form.buildingName), floor: orNull(form.floor), entranceZh: orNull(form.entranceZh), entrance: orNull(form.entrance) };
    const saved = await run((token) => unwrap(adminApi.admin['qr-spots'][':id'].$patch({ param: { id: spot.id }, json }, withToken(token))));
    if (saved) onSaved(saved);
  };

  return (
    <form className="panel admin-form" onSubmit={submit} aria-label={t('qrEditTitle', { code: spot.code })}>
      <h2>{t('qrEditTitle', { code: spot.code })}</h2>
      <p className="admin-muted">{t('qrEditHint')}</p>
      <div className="admin-form-grid">
        <Field id="qr-edit-building" label={t('qrBuilding')} problem={issueFor(error, 'buildingName')}>
          <input id="qr-edit-building" value={form.buildingName} onChange={set('buildingName')} autoFocus />
        </Field>
        <SpotTextFields prefix="qr-edit" form={form} set={set} error={error} />
      </div>
      <ErrorNote error={error} />
      <div className="admin-row-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t('save')}</button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
