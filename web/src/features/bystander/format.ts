import type { NearestAed } from '../../lib/api-client.ts';
import type { Translate } from '../../lib/i18n.ts';
import type { BystanderKey } from './messages.ts';

/** A walking time for reading, rounded up to whole minutes past one minute. */
export function walkText(t: Translate<BystanderKey>, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? t('seconds', { s }) : t('minutes', { m: Math.ceil(s / 60) });
}

/**
 * An AED's hours as someone about to run for it needs them: open until when, or from when it opens
 * today or tomorrow; its raw opening hours when the change is further off or cannot be read.
 */
export function hoursText(t: Translate<BystanderKey>, aed: Pick<NearestAed, 'openingHours' | 'hoursNow'>): string | null {
  const hours = aed.hoursNow;
  const next = hours?.next;
  if (hours?.open && !next) return t('aedOpenAllDay');
  if (hours && next) {
    // Open until midnight reads "until 24:00", as opening hours write it.
    if (hours.open && next.inDays === 1 && next.time === '00:00') return t('aedOpenUntil', { time: '24:00' });
    if (next.inDays === 0) return t(hours.open ? 'aedOpenUntil' : 'aedOpensToday', { time: next.time });
    if (next.inDays === 1) return t(hours.open ? 'aedOpenUntilTomorrow' : 'aedOpensTomorrow', { time: next.time });
  }
  return aed.openingHours ? t('aedHours', { hours: aed.openingHours }) : null;
}
