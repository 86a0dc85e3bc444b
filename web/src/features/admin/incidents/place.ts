import type { Lang } from '../../../lib/i18n.ts';
import { spotLine, type SpotParts } from '../../../lib/spot-text.ts';

/** Where an incident is, for an admin: its QR spot in the reader's language, else its coordinates. */
export function incidentPlace(lang: Lang, incident: { location: SpotParts | null; lat: number; lng: number }): string {
  return (incident.location && spotLine(lang, incident.location)) || `${incident.lat.toFixed(5)}, ${incident.lng.toFixed(5)}`;
}
