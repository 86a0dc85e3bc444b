import { useState, type FormEvent } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminQrSpot } from '../admin-api.ts';
import { useAction, useAdmin, useLoad } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote, Field, issueFor, type Point } from '../ui.tsx';
import type { ApiError } from '../../../lib/api-client.ts';

/** What a spot says about where it hangs, as typed: the floor (OSM level) and the entrance in both languages. */
export interface SpotTextForm {
  floor: string;
  entranceZh: string;
  entrance: string;
}

/** The floor and entrance fields, shared by the new-spot and correction forms; `prefix` keeps their ids apart. */
export function SpotTextFields({ prefix, form, set, error }: { prefix: string; form: SpotTextForm; set(key: keyof SpotTextForm): (e: { target: { value: string } }) => void; error: ApiError | null }) {
  const t = useT(adminMessages);
  return (
    <>
      <Field id={`${prefix}-floor`} label={t('qrFloor')} hint={t('fLevelHint')} problem={issueFor(error, 'floor')}>
        <input id={`${prefix}-floor`} value={form.floor} onChange={set('floor')} />
      </Field>
      <Field id={`${prefix}-entrance-zh`} label={t('qrEntranceZh')} problem={issueFor(error, 'entranceZh')}>
        <input id={`${prefix}-entrance-zh`} value={form.entranceZh} onChange={set('entranceZh')} />
      </Field>
      <Field id={`${prefix}-entrance-en`} label={t('qrEntranceEn')} problem={issueFor(error, 'entrance')}>
        <input id={`${prefix}-entrance-en`} value={form.entrance} onChange={set('entrance')} />
      </Field>
    </>
  );
}

/** A new QR spot at the point picked on the map: building, floor and where exactly it hangs. */
export function QrSpotForm({ point, onCreated }: { point: Point | null; onCreated(spot: AdminQrSpot): void }) {
  const t = useT(adminMessages);
  const { campus } = useAdmin();
  const { run, busy, error } = useAction();
  const [form, setForm] = useState({ buildingId: '', floor: '0', entranceZh: '', entrance: '' });
  const buildings = useLoad(
    (token) => (campus ? unwrap(adminApi.admin.campuses[':id'].buildings.$get({ param: { id: campus.id } }, withToken(token))) : Promise.resolve({ buildings: [] })),
    [campus?.id],
  );
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!point || !campus) return;
    const optional = (v: string) => (v.trim() ? v.trim() : undefined);
    const json = {
      campusId: campus.id,
      lat: point.lat,
      lng: point.lng,
      buildingId: optional(form.buildingId),
      floor: optional(form.floor),
      entranceZh: optional(form.entranceZh),
      entrance: optional(form.entrance),
    };
    const spot = await run((token) => unwrap(adminApi.admin['qr-spots'].$post({ json }, withToken(token))));
    if (spot) {
      setForm({ buildingId: '', floor: '0', entranceZh: '', entrance: '' });
      onCreated(spot);
    }
  };

  return (
    <form className="panel admin-form" onSubmit={submit} aria-label={t('qrNew')}>
      <h2>{t('qrNew')}</h2>
      <p className={point ? 'admin-muted' : 'form-error'}>{point ? `${point.lat.toFixed(6)}, ${point.lng.toFixed(6)}` : t('qrPickHint')}</p>
      <div className="admin-form-grid">
        <Field id="qr-building" label={t('qrBuilding')} problem={issueFor(error, 'buildingId')}>
          <select id="qr-building" value={form.buildingId} onChange={set('buildingId')}>
            <option value="">{t('qrBuildingNone')}</option>
            {buildings.data?.buildings.map((b) => <option key={b.id} value={b.id}>{b.nameZh ? `${b.nameZh} · ${b.name}` : b.name}</option>)}
          </select>
        </Field>
        <SpotTextFields prefix="qr" form={form} set={set} error={error} />
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy || !point}>{t('create')}</button>
    </form>
  );
}
