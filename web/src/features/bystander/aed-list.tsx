import { useLang, useT } from '../../lib/i18n.ts';
import type { NearestAed } from '../../lib/api-client.ts';
import { aedPlace, floorText } from '../../lib/spot-text.ts';
import { hoursText, walkText } from './format.ts';
import { bystanderMessages } from './messages.ts';

/** The nearest AEDs, numbered like their map markers: walking time, usable now, exactly where. */
export function AedList({ aeds }: { aeds: NearestAed[] }) {
  const t = useT(bystanderMessages);
  const lang = useLang();
  return (
    <section className="panel panel-aeds" aria-labelledby="aed-title" data-testid="aed-list">
      <h2 id="aed-title">{t('aedTitle')}</h2>
      <p className="hint">{t('aedHint')}</p>
      {aeds.length === 0 && <p>{t('aedNone')}</p>}
      <ol className="aed-list">
        {aeds.map((a, i) => {
          const where = aedPlace(lang, a);
          const hours = hoursText(t, a);
          const facts = [a.level ? floorText(lang, String(a.level)) : null, a.indoor === null ? null : a.indoor ? t('aedIndoor') : t('aedOutdoor')].filter(Boolean).join(' · ');
          return (
            <li key={a.id} className={a.usableNow && !a.closesBeforeArrival ? 'aed aed-usable' : 'aed aed-closed'}>
              <span className="aed-num" aria-hidden="true">{i + 1}</span>
              <div className="aed-body">
                <p className="aed-top">
                  <strong>{t('aedWalk', { time: walkText(t, a.walkTimeS) })}</strong>
                  <span className="aed-dist">{t('aedDistance', { metres: Math.round(a.distanceM) })}</span>
                  <UsableTag aed={a} />
                </p>
                {where && <p className="aed-where">{where}</p>}
                {facts && <p className="aed-facts">{facts}</p>}
                {hours && <p className="aed-facts">{hours}</p>}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Usable now; usable, but closing before a runner gets there; or not usable now. */
function UsableTag({ aed }: { aed: NearestAed }) {
  const t = useT(bystanderMessages);
  if (!aed.usableNow) return <span className="tag tag-no">{t('aedNotUsable')}</span>;
  // Absent in views stored before it was sent.
  if (aed.closesBeforeArrival) return <span className="tag tag-warn">{t('aedClosesFirst')}</span>;
  return <span className="tag tag-ok">{t('aedUsable')}</span>;
}
