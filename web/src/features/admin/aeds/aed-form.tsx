import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { adminApi, unwrap, withToken, type AdminAed } from '../admin-api.ts';
import { useAction, useAdmin } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote, Field, issueFor, type Point } from '../ui.tsx';

const ACCESS = ['', 'yes', 'public', 'permissive', 'customers', 'permit', 'destination', 'designated', 'private', 'no'] as const;
const TEXT_FIELDS = ['locationZh', 'locationEn', 'level', 'openingHours', 'operator', 'phone', 'description', 'padExpiresOn', 'batteryExpiresOn'] as const;

type FormState = Record<(typeof TEXT_FIELDS)[number] | 'ref' | 'access' | 'indoor' | 'status', string>;

function initial(aed: AdminAed | null): FormState {
  const text = (v: string | null | undefined) => v ?? '';
  return {
    ref: text(aed?.externalRef),
    locationZh: text(aed?.locationZh),
    locationEn: text(aed?.locationEn ?? (aed?.locationZh ? null : aed?.location)),
    level: text(aed?.level ?? '0'),
    openingHours: text(aed?.openingHours),
    operator: text(aed?.operator),
    phone: text(aed?.phone),
    description: text(aed?.description),
    padExpiresOn: text(aed?.padExpiresOn),
    batteryExpiresOn: text(aed?.batteryExpiresOn),
    access: text(aed?.access ?? 'yes'),
    indoor: aed?.indoor === true ? 'yes' : aed?.indoor === false ? 'no' : aed ? '' : 'yes',
    status: aed?.status === 'out_of_service' ? 'out_of_service' : 'in_service',
  };
}

/**
 * Create or edit one AED. Every field is an OSM tag; the API checks opening_hours syntax, the level
 * and the dates, and its per-field problems show under the fields.
 */
export function AedForm(props: { aed: AdminAed | null; point: Point | null; onSaved(aed: AdminAed): void; onCancel(): void }) {
  const t = useT(adminMessages);
  const { campus } = useAdmin();
  const { run, busy, error } = useAction();
  const [form, setForm] = useState<FormState>(() => initial(props.aed));
  useEffect(() => setForm(initial(props.aed)), [props.aed]);
  const set = (key: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const point = props.point ?? (props.aed ? { lat: props.aed.lat, lng: props.aed.lng } : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!point) return;
    const fields = Object.fromEntries(TEXT_FIELDS.map((k) => [k, form[k].trim()]));
    const body = {
      ...fields,
      lat: point.lat,
      lng: point.lng,
      access: form.access as (typeof ACCESS)[number],
      indoor: form.indoor === '' ? null : form.indoor === 'yes',
    };
    const saved = await run((token) =>
      props.aed
        ? unwrap(adminApi.admin.aeds[':id'].$patch({ param: { id: props.aed.id }, json: { ...body, status: form.status as 'in_service' | 'out_of_service' } }, withToken(token)))
        : unwrap(adminApi.admin.aeds.$post({ json: { ...body, campusId: campus?.id, ...(form.ref.trim() ? { ref: form.ref.trim() } : {}) } }, withToken(token))),
    );
    if (saved) props.onSaved(saved);
  };

  const input = (key: (typeof TEXT_FIELDS)[number], label: string, extra: { type?: string; hint?: string } = {}) => (
    <Field id={`aed-${key}`} label={label} hint={extra.hint} problem={issueFor(error, key)}>
      <input id={`aed-${key}`} type={extra.type ?? 'text'} value={form[key]} onChange={set(key)} aria-invalid={issueFor(error, key) ? true : undefined} />
    </Field>
  );

  return (
    <form className="panel admin-form" onSubmit={submit} aria-label={props.aed ? t('aedEdit') : t('aedNew')}>
      <h2>{props.aed ? t('aedEdit') : t('aedNew')}</h2>
      <p className={point ? 'admin-muted' : 'form-error'}>
        {point ? `${t('fLat')} ${point.lat.toFixed(6)}, ${t('fLng')} ${point.lng.toFixed(6)}` : t('aedNoPoint')} · {t('aedPickHint')}
      </p>
      <div className="admin-form-grid">
        {!props.aed && (
          <Field id="aed-ref" label={t('fRef')} problem={issueFor(error, 'ref')}>
            <input id="aed-ref" value={form.ref} onChange={set('ref')} placeholder="NU-AED-13" />
          </Field>
        )}
        {input('locationZh', t('fLocationZh'))}
        {input('locationEn', t('fLocationEn'))}
        {input('level', t('fLevel'), { hint: t('fLevelHint') })}
        <Field id="aed-indoor" label={t('fIndoor')} problem={issueFor(error, 'indoor')}>
          <select id="aed-indoor" value={form.indoor} onChange={set('indoor')}>
            <option value="yes">{t('yes')}</option>
            <option value="no">{t('no')}</option>
            <option value="">{t('unknown')}</option>
          </select>
        </Field>
        <Field id="aed-access" label={t('fAccess')} problem={issueFor(error, 'access')}>
          <select id="aed-access" value={form.access} onChange={set('access')}>
            {ACCESS.map((a) => <option key={a} value={a}>{a || t('unknown')}</option>)}
          </select>
        </Field>
        {input('openingHours', t('fHours'), { hint: t('fHoursHint') })}
        {input('padExpiresOn', t('fPads'), { type: 'date' })}
        {input('batteryExpiresOn', t('fBattery'), { type: 'date' })}
        {input('operator', t('fOperator'))}
        {input('phone', t('fPhone'))}
        {input('description', t('fDescription'))}
        {props.aed && (props.aed.status === 'in_service' || props.aed.status === 'out_of_service') && (
          <Field id="aed-status" label={t('fStatus')}>
            <select id="aed-status" value={form.status} onChange={set('status')}>
              <option value="in_service">{t('status_in_service')}</option>
              <option value="out_of_service">{t('status_out_of_service')}</option>
            </select>
          </Field>
        )}
      </div>
      <ErrorNote error={error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={busy || !point}>{t('save')}</button>
        <button type="button" className="btn btn-secondary" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
