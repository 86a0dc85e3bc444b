/**
 * A QR spot's floor in words, for the bystander, the volunteer, the admin and the printed label.
 *
 * The floor is stored as its OSM `level`: 0 the ground floor, -1 the first basement (the admin form
 * says so). In China, as in the US, the ground floor is the first floor (1 层), so level 2 is 3 层:
 * "2 层" for level 2 would send a responder one floor too low. English floor numbers differ by
 * country (a UK first floor is a US second), so the English names the level from the ground instead.
 * Text that is no whole number is shown as it was typed; several levels (`0;1`) are listed.
 */
export function floorWords(floor: string | null | undefined): { zh: string; en: string } | null {
  const levels = (floor ?? '').split(';').map((l) => l.trim()).filter(Boolean);
  if (levels.length === 0) return null;
  const words = levels.map(levelWords);
  return { zh: words.map((w) => w.zh).join(' / '), en: words.map((w) => w.en).join(' / ') };
}

function levelWords(level: string): { zh: string; en: string } {
  if (!/^-?\d+$/.test(level)) return { zh: `楼层 ${level}`, en: `Level ${level}` };
  const n = Number(level);
  if (n === 0) return { zh: '1 层', en: 'Ground floor' };
  return n > 0 ? { zh: `${n + 1} 层`, en: `Level ${n} above ground` } : { zh: `地下 ${-n} 层`, en: `Basement level ${-n}` };
}
