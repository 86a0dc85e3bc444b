import type { Translate } from '../../lib/i18n.ts';
import type { BystanderKey } from './messages.ts';

/** A walking time for reading, rounded up to whole minutes past one minute. */
export function walkText(t: Translate<BystanderKey>, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? t('seconds', { s }) : t('minutes', { m: Math.ceil(s / 60) });
}

/** A floor as the sign on the wall would say it: OSM level 0 is the ground floor. */
export function floorText(t: Translate<BystanderKey>, floor: string | null | undefined): string {
  if (floor === null || floor === undefined || floor === '') return '';
  return floor === '0' ? t('floorGround') : t('floor', { floor });
}
