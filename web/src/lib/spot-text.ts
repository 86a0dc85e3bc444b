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
