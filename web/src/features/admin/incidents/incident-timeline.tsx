import { useLang, useT } from '../../../lib/i18n.ts';
import type { IncidentDetail } from '../admin-api.ts';
import { adminMessages } from '../i18n.ts';
import { incidentPlace } from './place.ts';
import { Badge, formatDateTime, formatSeconds, useKeyed } from '../ui.tsx';

/** Who was alerted, accepted and arrived, and when: from the incident's event log. */
export function IncidentTimeline({ incident }: { incident: IncidentDetail }) {
  const t = useT(adminMessages);
  const lang = useLang();
  const keyed = useKeyed();
  const roleOf = (data: Record<string, unknown>) => (typeof data.role === 'string' ? keyed('role', data.role) : '');
  return (
    <section className="panel" aria-labelledby="inc-timeline-title">
      <h2 id="inc-timeline-title">
        {t('incTimeline')} · {incidentPlace(lang, incident)} <Badge tone={incident.state === 'open' ? 'warn' : 'muted'}>{keyed('state', incident.state)}</Badge>
      </h2>
      <p className="admin-muted">
        {t('incFirstAccept')} {formatSeconds(incident.times.firstAcceptS)} · {t('incFirstCpr')} {formatSeconds(incident.times.firstArrivalS)} ({t('incPlanned')}{' '}
        {formatSeconds(incident.times.plannedCprEtaS)}) · {t('incAedArrival')} {formatSeconds(incident.times.aedArrivalS)} ({t('incPlanned')} {formatSeconds(incident.times.plannedAedEtaS)})
      </p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('incSince')}</th>
            <th scope="col">{t('incEvent')}</th>
            <th scope="col">{t('incWho')}</th>
            <th scope="col">{t('incAt')}</th>
          </tr>
        </thead>
        <tbody>
          {incident.timeline.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td className="admin-mono">{formatSeconds(e.sinceS)}</td>
              <td>{keyed('ev', e.type)} {roleOf(e.data) && <Badge tone="muted">{roleOf(e.data)}</Badge>}</td>
              <td>{e.actorName ?? ''}</td>
              <td className="admin-muted">{formatDateTime(e.at, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
