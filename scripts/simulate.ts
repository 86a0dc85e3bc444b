/**
 * Monte-Carlo drills on the demo campus: our dispatch against the rules deployed systems publish.
 *
 *   npm run simulate [-- --drills 1000 --seed 42 --volunteers 40 --hour 14 --out test-output/simulation]
 *
 * Other options: --accept-p 0.65 (share of alerted volunteers who accept), --accept-delay-s 30 (median
 * seconds to accept), --campus <geo-data dir>. Prints the table and writes <out>/time-to-aed.svg and
 * <out>/results.json (times in seconds; null means never).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTimeChart } from '../api/domain/simulation/chart.ts';
import { aedFromTags, prepareSimulationCampus, type SimulationCampus } from '../api/domain/simulation/campus.ts';
import { runSimulation, type SimulationResult } from '../api/domain/simulation/run.ts';
import { DEMO_CAMPUS_DIR, loadCampusGeoData } from '../api/import/geo-data.ts';

const { values } = parseArgs({
  options: {
    drills: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    volunteers: { type: 'string', default: '40' },
    hour: { type: 'string' },
    'accept-p': { type: 'string' },
    'accept-delay-s': { type: 'string' },
    out: { type: 'string', default: 'test-output/simulation' },
    campus: { type: 'string', default: DEMO_CAMPUS_DIR },
  },
});

/** A numeric option, or exit with a message naming it. */
function numberOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`--${name} must be a number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

async function loadCampus(dir: string): Promise<SimulationCampus> {
  const data = await loadCampusGeoData(dir);
  return prepareSimulationCampus({
    walkways: data.walkways.map((w) => ({ coords: w.coords, nodeIds: w.nodeIds, highway: w.highway, steps: w.steps })),
    buildings: data.buildings.map((b) => ({ name: b.name, polygon: b.polygon, levels: b.levels })),
    aeds: data.aeds.map((f, i) => {
      const [lng, lat] = f.geometry.coordinates;
      return aedFromTags(f.id ?? f.properties.ref ?? `aed-${i}`, { lat, lng }, f.properties);
    }),
    timezone: data.campus.timezone,
    bounds: data.campus.bounds,
  });
}

const seconds = (s: number) => (Number.isFinite(s) ? `${Math.round(s)} s` : 'never');
const percent = (share: number) => `${Math.round(share * 100)} %`;

function printTable(result: SimulationResult): void {
  const header = ['strategy', 'CPR median', 'CPR p90', 'AED median', 'AED p90', `AED <=${result.budgetS} s`, 'no AED', 'alerted'];
  const rows = result.strategies.map((s) => {
    const { firstCpr, aed } = s.summary;
    return [s.label, seconds(firstCpr.medianS), seconds(firstCpr.p90S), seconds(aed.medianS), seconds(aed.p90S), percent(aed.withinBudgetShare), percent(aed.neverShare), s.summary.meanAlerted.toFixed(1)];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** JSON with Infinity written as null ("never"). */
function toJson(result: SimulationResult): string {
  return JSON.stringify(result, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
}

/** The chart and the raw results. */
async function writeOutputs(result: SimulationResult, out: string): Promise<void> {
  const p = result.params;
  const drills = result.drills.length;
  await mkdir(out, { recursive: true });
  const svg = renderTimeChart(
    result.strategies.map((s) => ({ label: s.label, aedS: s.outcomes.map((o) => o.timeToAedS), firstCprS: s.outcomes.map((o) => o.timeToFirstCprS), meanAlerted: s.summary.meanAlerted })),
    {
      title: 'Time to AED and to first CPR on the demo campus, by dispatch strategy',
      subtitle: [
        `${drills} simulated drills (seed ${result.seed}), ${p.volunteers} volunteers on duty, ${Math.round(p.acceptProbability * 100)} % accept after a median ${p.acceptDelayMedianS} s, speed median ${p.speedMedianMps} m/s.`,
        'Each line: share of drills in which it had happened by that time. Where a line ends below 100 %, the rest took over 600 s or never happened.',
      ],
      budgetS: result.budgetS,
    },
  );
  await writeFile(join(out, 'time-to-aed.svg'), svg);
  await writeFile(join(out, 'results.json'), toJson(result));
}

async function main(): Promise<void> {
  const drills = numberOption('drills', values.drills)!;
  const seed = numberOption('seed', values.seed)!;
  const params = {
    volunteers: numberOption('volunteers', values.volunteers),
    hour: numberOption('hour', values.hour),
    acceptProbability: numberOption('accept-p', values['accept-p']),
    acceptDelayMedianS: numberOption('accept-delay-s', values['accept-delay-s']),
  };
  const campus = await loadCampus(resolve(values.campus));
  const started = performance.now();
  const result = runSimulation({
    campus,
    drills,
    seed,
    params,
    onProgress: (done) => {
      if (process.stderr.isTTY && done % 50 === 0) process.stderr.write(`\r${done}/${drills} drills`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  const p = result.params;
  console.log(`${drills} drills, seed ${seed}, ${p.volunteers} on-duty volunteers, hour ${p.hour ?? 'uniform 0-23'}, acceptance ${p.acceptProbability}, accept delay median ${p.acceptDelayMedianS} s, speed median ${p.speedMedianMps} m/s (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  printTable(result);
  const byHour = (values: (number | null)[], format: (v: number) => string) => values.flatMap((v, h) => (v === null ? [] : [`${h}h ${format(v)}`])).join(', ');
  const usable = Array.from({ length: 24 }, (_, h) => {
    const at = result.drills.filter((d) => d.hour === h);
    return at.length === 0 ? null : at.reduce((sum, d) => sum + d.usableAeds, 0) / at.length;
  });
  console.log(`\nUsable AEDs (of ${campus.aeds.length}) by campus hour: ${byHour(usable, (v) => v.toFixed(1))}`);
  console.log(`Ours, AED <=${result.budgetS} s by campus hour: ${byHour(result.strategies[0].summary.aedWithinBudgetByHour, percent)}`);

  const out = resolve(values.out);
  await writeOutputs(result, out);
  console.log(`\nWrote ${join(out, 'time-to-aed.svg')} and ${join(out, 'results.json')}`);
}

await main();
