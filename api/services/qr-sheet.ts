import QRCode from 'qrcode';
import { floorWords } from '../domain/floor-words.ts';

/** What a printed first-aid QR sheet says about where it hangs. */
export interface QrSheetSpot {
  code: string;
  buildingName: string | null;
  floor: string | null;
  entrance: string | null;
  entranceZh: string | null;
}

/** The URL a spot's QR code opens: `<base>/e/<code>`. */
export function spotUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/e/${encodeURIComponent(code)}`;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);

/** The QR symbol as one SVG path of unit squares, `size` modules wide (no quiet zone). */
function qrPath(url: string): { d: string; size: number } {
  // Level Q (25 % recovery): sheets hang outdoors and get scratched, and the URL is short.
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'Q' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
    }
  }
  return { d: parts.join(''), size: modules.size };
}

const FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

/** The floor in both languages: level "2" -> "3 层 · Level 2 above ground" (see floorWords). */
function floorLine(floor: string | null): string | null {
  const words = floorWords(floor);
  return words && `${words.zh} · ${words.en}`;
}

/**
 * A printable A4 sheet (SVG, millimetre units) for one QR spot: "扫码急救 / Scan in an emergency",
 * the QR code of the spot's URL, where the spot is, and the emergency number 120.
 */
export function renderQrSheetSvg(spot: QrSheetSpot, url: string): string {
  const qr = qrPath(url);
  const qrMm = 110;
  const quietMm = (4 * qrMm) / qr.size; // the standard 4-module quiet zone
  const qrX = (210 - qrMm) / 2;
  const qrY = 72;
  const place = [spot.buildingName, floorLine(spot.floor), spot.entranceZh, spot.entrance].filter((l): l is string => Boolean(l && l.trim()));
  const placeLines = place
    .slice(0, 4)
    .map((line, i) => `<text x="105" y="${214 + i * 9}" font-size="${i === 0 ? 8 : 6.2}" font-weight="${i === 0 ? 700 : 400}" text-anchor="middle">${escapeXml(line.slice(0, 60))}</text>`)
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="${FONT}" role="img" aria-label="扫码急救 Scan in an emergency">
  <title>扫码急救 · Scan in an emergency · ${escapeXml(spot.code)}</title>
  <rect width="210" height="297" fill="#fff"/>
  <rect width="210" height="56" fill="#c8102e"/>
  <text x="105" y="30" font-size="22" font-weight="700" fill="#fff" text-anchor="middle">扫码急救</text>
  <text x="105" y="46" font-size="11" font-weight="700" fill="#fff" text-anchor="middle">Scan in an emergency</text>
  <rect x="${qrX - quietMm}" y="${qrY - quietMm}" width="${qrMm + 2 * quietMm}" height="${qrMm + 2 * quietMm}" fill="#fff" stroke="#c8102e" stroke-width="1.2" rx="3"/>
  <svg x="${qrX}" y="${qrY}" width="${qrMm}" height="${qrMm}" viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges">
    <path d="${qr.d}" fill="#000"/>
  </svg>
  <g fill="#222">
    ${placeLines}
  </g>
  <rect x="15" y="250" width="180" height="28" rx="4" fill="#c8102e"/>
  <text x="105" y="263" font-size="9" font-weight="700" fill="#fff" text-anchor="middle">紧急情况请立即拨打 120</text>
  <text x="105" y="273" font-size="7" fill="#fff" text-anchor="middle">Call 120 now if someone has collapsed</text>
  <text x="105" y="288" font-size="4" fill="#555" text-anchor="middle">${escapeXml(url)} · 代码 Code ${escapeXml(spot.code)}</text>
</svg>
`;
}
