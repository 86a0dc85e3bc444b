/**
 * The simulator's chart as a hand-written SVG: for each strategy, the share of drills in which the AED
 * (top panel) and the first responder (bottom panel) had reached the patient by each second after the
 * SOS (an empirical CDF), with the 240 s budget marked. Pure string building.
 */

export interface ChartSeries {
  label: string;
  /** Seconds per drill; Infinity for never. */
  aedS: readonly number[];
  firstCprS: readonly number[];
  /** Mean volunteers alerted per drill, shown in the legend. */
  meanAlerted?: number;
}

export interface ChartOptions {
  title: string;
  /** Lines under the title. */
  subtitle: readonly string[];
  budgetS: number;
  /** Right end of the time axis, seconds (default 600). */
  maxS?: number;
}

// Okabe-Ito colours (distinguishable with colour-vision deficiency), plus dash patterns.
const COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#CC79A7', '#D55E00'];
const DASHES = ['', '9 4', '2 3', '10 3 2 3', '5 3', '1 2', '12 2'];

const WIDTH = 980;
const PANEL_H = 300;
const LEFT = 70;
const PLOT_W = 560;
const LEGEND_X = LEFT + PLOT_W + 30;

/** The whole chart as an SVG document. */
export function renderTimeChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const maxS = options.maxS ?? 600;
  const top1 = 70 + 18 * options.subtitle.length + 30;
  const top2 = top1 + PANEL_H + 90;
  const height = top2 + PANEL_H + 70;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="32" font-size="20" font-weight="bold">${escapeXml(options.title)}</text>`,
    ...options.subtitle.map((line, i) => `<text x="${LEFT}" y="${56 + 18 * i}" font-size="13" fill="#444">${escapeXml(line)}</text>`),
    panel(series.map((s) => s.aedS), series, top1, maxS, options.budgetS, 'AED at the patient'),
    panel(series.map((s) => s.firstCprS), series, top2, maxS, options.budgetS, 'First responder at the patient (CPR starts)'),
    `</svg>`,
  ];
  return parts.join('\n');
}

function panel(samples: readonly (readonly number[])[], series: readonly ChartSeries[], top: number, maxS: number, budgetS: number, heading: string): string {
  const x = (s: number) => LEFT + (Math.min(s, maxS) / maxS) * PLOT_W;
  const y = (share: number) => top + PANEL_H - share * PANEL_H;
  const out = [`<text x="${LEFT}" y="${top - 26}" font-size="15" font-weight="bold">${escapeXml(heading)}: share of drills by time after the SOS</text>`];
  for (let share = 0; share <= 1.0001; share += 0.2) {
    out.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${y(share)}" y2="${y(share)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${LEFT - 8}" y="${y(share) + 4}" font-size="12" text-anchor="end">${Math.round(share * 100)} %</text>`);
  }
  for (let s = 0; s <= maxS; s += 60) {
    out.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${top}" y2="${top + PANEL_H}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x(s)}" y="${top + PANEL_H + 18}" font-size="12" text-anchor="middle">${s}</text>`);
  }
  out.push(`<text x="${LEFT + PLOT_W / 2}" y="${top + PANEL_H + 40}" font-size="13" text-anchor="middle">seconds after the SOS</text>`);
  out.push(`<rect x="${LEFT}" y="${top}" width="${PLOT_W}" height="${PANEL_H}" fill="none" stroke="#333"/>`);
  out.push(`<line x1="${x(budgetS)}" x2="${x(budgetS)}" y1="${top}" y2="${top + PANEL_H}" stroke="#c00000" stroke-width="2" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${x(budgetS)}" y="${top - 6}" font-size="12" fill="#c00000" text-anchor="middle">${budgetS} s budget</text>`);
  samples.forEach((times, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const dash = DASHES[i % DASHES.length];
    out.push(`<path d="${ecdfPath(times, maxS, x, y)}" fill="none" stroke="${colour}" stroke-width="${i === 0 ? 3 : 2.2}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    const n = Math.max(1, times.length);
    const within = times.filter((t) => t <= budgetS).length / n;
    const never = times.filter((t) => !Number.isFinite(t)).length / n;
    const ly = top + 20 + i * 42;
    out.push(`<line x1="${LEGEND_X}" x2="${LEGEND_X + 34}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="${i === 0 ? 3 : 2.2}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${LEGEND_X + 42}" y="${ly + 4}" font-size="13"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(series[i].label)}</text>`);
    const neverText = never > 0 ? `, never: ${Math.round(never * 100)} %` : '';
    const alertedText = series[i].meanAlerted === undefined ? '' : `; ${series[i].meanAlerted!.toFixed(1)} alerted`;
    out.push(`<text x="${LEGEND_X + 42}" y="${ly + 21}" font-size="12" fill="#555">within ${budgetS} s: ${Math.round(within * 100)} %${neverText}${alertedText}</text>`);
  });
  return out.join('\n');
}

/** Step line of the empirical CDF, clipped at maxS. */
function ecdfPath(times: readonly number[], maxS: number, x: (s: number) => number, y: (share: number) => number): string {
  const sorted = times.filter((t) => t <= maxS).sort((a, b) => a - b);
  const n = Math.max(1, times.length);
  const d = [`M${x(0).toFixed(1)},${y(0).toFixed(1)}`];
  sorted.forEach((t, i) => {
    d.push(`H${x(t).toFixed(1)}`, `V${y((i + 1) / n).toFixed(1)}`);
  });
  d.push(`H${x(maxS).toFixed(1)}`);
  return d.join(' ');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
