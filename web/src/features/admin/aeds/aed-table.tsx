import { pickText, useLang, useT } from '../../../lib/i18n.ts';
import type { AdminAed } from '../admin-api.ts';
import { adminMessages } from '../i18n.ts';
import { Badge, FloorCell, useKeyed } from '../ui.tsx';

const tone = { in_service: 'ok', in_use: 'warn', out_of_service: 'bad', retired: 'muted' } as const;

/** A page of AEDs; a row opens the AED for editing. */
export function AedTable({ aeds, selectedId, onSelect }: { aeds: AdminAed[]; selectedId: string | null; onSelect(aed: AdminAed): void }) {
  const t = useT(adminMessages);
  const lang = useLang();
  const keyed = useKeyed();
  return (
    <table className="admin-table">
      <thead>
        <tr>
          <th scope="col">{t('colRef')}</th>
          <th scope="col">{t('colLocation')}</th>
          <th scope="col">{t('colLevel')}</th>
          <th scope="col">{t('colHours')}</th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col">{t('colUsable')}</th>
          <th scope="col">{t('colPads')}</th>
          <th scope="col">{t('colChecked')}</th>
        </tr>
      </thead>
      <tbody>
        {aeds.map((a) => (
          <tr key={a.id} aria-selected={a.id === selectedId} className={a.id === selectedId ? 'is-selected' : undefined}>
            <td>
              <button type="button" className="link-button" onClick={() => onSelect(a)}>{a.externalRef ?? a.osmId ?? a.id.slice(0, 8)}</button>
            </td>
            <td>{pickText(lang, a.locationZh, a.locationEn, a.location) || '—'}</td>
            <FloorCell level={a.level} />
            <td className="admin-mono">{a.openingHours ?? '24/7'}</td>
            <td><Badge tone={tone[a.status]}>{keyed('status', a.status)}</Badge></td>
            <td>
              {a.usableNow ? <Badge tone="ok">{t('yes')}</Badge> : <Badge tone="bad">{a.unusableReasons.map((r) => keyed('reason', r)).join(', ')}</Badge>}
            </td>
            <td className="admin-nowrap">{a.padExpiresOn ?? '—'}</td>
            <td className="admin-nowrap">{a.checkDate ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
