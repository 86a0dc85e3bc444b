import { pickText, type Lang, type Translate } from '../../lib/i18n.ts';
import type { ResponderKey } from './messages.ts';
import type { Mission, MissionAed } from './missions.ts';

/** A floor as the sign on the wall would say it: OSM level 0 is the ground floor. */
export function floorText(t: Translate<ResponderKey>, floor: string | null | undefined): string {
  if (floor === null || floor === undefined || floor === '') return '';
  return floor === '0' ? t('floorGround') : t('floor', { floor });
}

/**
 * The patient's spot, from the QR code: building · floor · entrance. (The payload's `locationText` is
 * these fields packed for storage, so it is not shown.)
 */
export function patientText(t: Translate<ResponderKey>, lang: Lang, m: Mission): string {
  const p = m.patient;
  return [p.buildingName, floorText(t, p.floor), pickText(lang, p.entranceZh, p.entrance)].filter(Boolean).join(' · ');
}

/** Where exactly the AED hangs (`defibrillator:location`), in the reader's language. */
export function aedText(lang: Lang, aed: MissionAed): string {
  return pickText(lang, aed.locationZh, aed.locationEn, aed.location) || aed.id;
}
