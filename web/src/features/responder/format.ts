import type { Lang } from '../../lib/i18n.ts';
import { aedPlace, spotLine } from '../../lib/spot-text.ts';
import type { Mission, MissionAed } from './missions.ts';

/**
 * The patient's spot, from the QR code: building · floor · entrance. (The payload's `locationText` is
 * these fields packed for storage, so it is not shown.)
 */
export function patientText(lang: Lang, m: Mission): string {
  return spotLine(lang, m.patient);
}

/** The AED's building and where exactly it hangs (`defibrillator:location`), in the reader's language. */
export function aedText(lang: Lang, aed: MissionAed): string {
  return aedPlace(lang, aed) || aed.id;
}
