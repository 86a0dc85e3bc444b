/**
 * `npm run bench -- <suite> [--quick]`: runs one benchmark suite, prints its readable tables, then as
 * the very last line one JSON object `{"suite": "<suite>", ...figures}` (DESIGN, contracts).
 */
import { runMatchBench } from './match.ts';
import { runIngestBench } from './ingest.ts';
import { runPlanBench } from './plan.ts';
import { runSocketsBench } from './sockets.ts';
import { runSosBench } from './sos.ts';

const suites: Record<string, (opts: { quick: boolean }) => Promise<Record<string, unknown>>> = {
  match: async (opts) => ({ ...(await runMatchBench(opts)), plan: await runPlanBench(opts) }),
  sos: runSosBench,
  sockets: runSocketsBench,
  ingest: runIngestBench,
};

const [suite, ...flags] = process.argv.slice(2);
if (!suite || !suites[suite]) {
  console.error(`usage: npm run bench -- <${Object.keys(suites).join('|')}> [--quick]`);
  process.exit(2);
}
const figures = await suites[suite]!({ quick: flags.includes('--quick') });
const { suite: _ignored, ...rest } = figures;
console.log(JSON.stringify({ suite, ...rest }));
process.exit(0);
