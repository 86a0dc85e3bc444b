import type { Translate } from '../../lib/i18n.ts';
import type { BystanderKey } from './messages.ts';

/** A walking time for reading, rounded up to whole minutes past one minute. */
export function walkText(t: Translate<BystanderKey>, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? t('seconds', { s }) : t('minutes', { m: Math.ceil(s / 60) });
}
