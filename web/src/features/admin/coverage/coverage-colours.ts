/** Colours of the coverage map by seconds: greens inside the four minutes, warm colours after. */
const STEPS: { maxS: number; colour: string; label: string }[] = [
  { maxS: 60, colour: '#006d2c', label: '≤ 1:00' },
  { maxS: 120, colour: '#31a354', label: '≤ 2:00' },
  { maxS: 180, colour: '#74c476', label: '≤ 3:00' },
  { maxS: 240, colour: '#c7e9c0', label: '≤ 4:00' },
  { maxS: 360, colour: '#fdae61', label: '≤ 6:00' },
  { maxS: 600, colour: '#f46d43', label: '≤ 10:00' },
];
const BEYOND = '#a50026';

/** The fill of a cell whose best AED time is `timeS` (null: beyond the search, over 10 minutes). */
export function colourFor(timeS: number | null): string {
  if (timeS === null) return BEYOND;
  return STEPS.find((s) => timeS <= s.maxS)?.colour ?? BEYOND;
}

export const LEGEND = [...STEPS.map(({ colour, label }) => ({ colour, label })), { colour: BEYOND, label: 'beyond' }];
