import { floorWords } from '../../../api/domain/floor-words.ts';
import { pickText, type Lang } from './i18n.ts';

/** A QR spot's text as the API gives it (the bystander's spot, a volunteer's patient, an admin's incident). */
export interface SpotParts {
  buildingName?: string | null;
  floor?: string | null;
  entrance?: string | null;
  entranceZh?: string | null;
}

/** A spot's floor (its OSM level) as the reader counts floors; '' when it has none. See floorWords. */
export function floorText(lang: Lang, floor: string | null | undefined): string {
  const words = floorWords(floor);
  return words ? (lang === 'zh-CN' ? words.zh : words.en) : '';
}

/** Building · floor · entrance, the entrance in the reader's language; '' when the spot has no text. */
export function spotLine(lang: Lang, spot: SpotParts): string {
  return [spot.buildingName, floorText(lang, spot.floor), pickText(lang, spot.entranceZh, spot.entrance)].filter(Boolean).join(' · ');
}

/** An AED as the API gives it: where it hangs, and the building it is in or on. */
export interface AedPlaceParts {
  location?: string | null;
  locationZh?: string | null;
  locationEn?: string | null;
  /** Absent in alerts stored before AEDs were named after their building. */
  building?: { name: string; nameZh: string | null } | null;
}

/** Building · where it hangs, in the reader's language; '' when the AED says neither. */
export function aedPlace(lang: Lang, aed: AedPlaceParts): string {
  const building = aed.building ? pickText(lang, aed.building.nameZh, aed.building.name) : '';
  return [building, pickText(lang, aed.locationZh, aed.locationEn, aed.location)].filter(Boolean).join(' · ');
}
