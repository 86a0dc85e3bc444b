import { pickText, type Lang } from '../../lib/i18n.ts';
import { spotLine } from '../../lib/spot-text.ts';
import type { Mission, MissionAed } from './missions.ts';

/**
 * The patient's spot, from the QR code: building · floor · entrance. (The payload's `locationText` is
 * these fields packed for storage, so it is not shown.)
 */
export function patientText(lang: Lang, m: Mission): string {
  return spotLine(lang, m.patient);
}

/** Where exactly the AED hangs (`defibrillator:location`), in the reader's language. */
export function aedText(lang: Lang, aed: MissionAed): string {
  return pickText(lang, aed.locationZh, aed.locationEn, aed.location) || aed.id;
}
