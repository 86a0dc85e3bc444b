import L from 'leaflet';

/**
 * HTML markers (divIcon): no image files, so they draw offline, scale with text and carry a label.
 * Leaflet's default marker images are not used at all.
 */
export function pinIcon(kind: 'patient' | 'aed' | 'responder' | 'self', text: string, extraClass = '', sizePx?: number): L.DivIcon {
  const size = sizePx ?? (kind === 'self' ? 20 : kind === 'patient' ? 30 : extraClass.includes('is-highlighted') ? 34 : 28);
  const el = document.createElement('div');
  el.className = `map-pin map-pin-${kind} ${extraClass}`.trim();
  el.textContent = text;
  el.setAttribute('aria-hidden', 'true');
  return L.divIcon({ html: el, className: '', iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}
