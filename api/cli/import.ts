/**
 * `npm run import -- <kind> <file> [options]`: loads data into the configured database
 * (DATABASE_URL, else PGlite in DATA_DIR), migrating first.
 *
 *   aeds <file.geojson> [--source <name>]     AEDs from OSM-tagged GeoJSON
 *   campus <file.osm> --slug <slug> --name <name> [--name-zh <name>] [--timezone <tz>]
 *
 * Exit codes: 0 done, 1 the import failed (nothing written), 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../config.ts';
import { createAedRepository } from '../db/aed-repository.ts';
import { createCampusRepository } from '../db/campus-repository.ts';
import type { Database } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { openConfiguredDb } from '../server.ts';
import { importAeds } from '../services/aed-import.ts';
import { importCampusFromOsm } from '../services/campus-import.ts';

const USAGE = `usage: npm run import -- aeds <file.geojson> [--source <name>]
       npm run import -- campus <file.osm> --slug <slug> --name <name> [--name-zh <name>] [--timezone <tz>]`;

/** Progress is printed each time this many more records are written. */
const PROGRESS_EVERY = 2000;

class UsageError extends Error {
  override name = 'UsageError';
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The one positional argument (the file) and the options. */
function parseCommandArgs<O extends Record<string, { type: 'string' }>>(args: string[], options: O) {
  const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing the file' : `unexpected "${positionals[1]}"`);
  return { file: positionals[0], values };
}

type Runner = (database: Database) => Promise<void>;

const secondsSince = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

async function runAedImport(database: Database, file: string, source: string | undefined): Promise<void> {
  const started = performance.now();
  const text = await readFile(file, 'utf8');
  let nextReport = PROGRESS_EVERY;
  const result = await importAeds(createAedRepository(database.db), text, {
    source,
    onProgress(done, total) {
      if (done < nextReport && done < total) return;
      say(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} written (${Math.round((100 * done) / total)} %)`);
      nextReport = done + PROGRESS_EVERY;
    },
  });
  const { imported, updated, unchanged, rejected, warnings } = result;
  console.log(
    `AEDs from ${path.basename(file)}: ${imported} imported, ${updated} updated, ${unchanged} unchanged, ` +
      `${rejected.length} rejected, ${warnings.length} warnings, ${secondsSince(started)} s`,
  );
  for (const r of rejected) console.log(`  rejected #${r.index}: ${r.reason}`);
  if (warnings.length > 0) say(`  ${warnings.length} warnings; the first: #${warnings[0].index}: ${warnings[0].reason}`);
}

function importAedFile(args: string[]): Runner {
  const { file, values } = parseCommandArgs(args, { source: { type: 'string' } });
  return (database) => runAedImport(database, file, values.source);
}

function importCampusFile(args: string[]): Runner {
  const { file, values } = parseCommandArgs(args, {
    slug: { type: 'string' },
    name: { type: 'string' },
    'name-zh': { type: 'string' },
    timezone: { type: 'string' },
  });
  const { slug, name } = values;
  if (!slug || !name) throw new UsageError('campus needs --slug and --name');
  return async (database) => {
    const started = performance.now();
    const xml = await readFile(file, 'utf8');
    const options = { slug, name, nameZh: values['name-zh'], timezone: values.timezone };
    const result = await importCampusFromOsm(createCampusRepository(database.db), xml, options);
    console.log(
      `Campus ${slug} from ${path.basename(file)}: ${result.buildings} buildings, ${result.walkways} walkways, ` +
        `${result.qrSpots} QR spots, ${secondsSince(started)} s`,
    );
  };
}

/** One entry per kind of data: each checks its arguments before the database is opened. */
const COMMANDS: Record<string, (args: string[]) => Runner> = {
  aeds: importAedFile,
  campus: importCampusFile,
};

async function main(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  const command = kind === undefined || !Object.hasOwn(COMMANDS, kind) ? undefined : COMMANDS[kind];
  if (!command) throw new UsageError(kind ? `unknown kind "${kind}"` : 'missing arguments');
  const run = command(rest);
  const config = parseConfig(process.env);
  const database = await openConfiguredDb(config);
  try {
    say(`Database: ${database.kind === 'pglite' ? `PGlite in ${config.DATA_DIR}` : 'PostgreSQL'}; migrating...`);
    await migrateDb(database);
    await run(database);
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const code = (err as { code?: unknown }).code;
  if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    say(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ConfigError) {
    say(err.message);
    process.exitCode = 1;
  } else if (typeof code === 'string') {
    // Typed errors (INVALID_JSON, INVALID_GEOJSON, OSM_PARSE_ERROR, ENOENT) carry a message meant for people.
    const message = (err as Error).message;
    say(`Import failed, nothing was written: ${message.startsWith(code) ? message : `${code}: ${message}`}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
