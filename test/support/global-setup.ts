import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { createDb } from '../../api/db/client.ts';
import { migrateDb } from '../../api/db/migrate.ts';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    postgresTemplate: string | null;
  }
}

/**
 * Migrates once for the whole run: a PGlite data-dir dump that every test file loads (a fresh PGlite
 * takes seconds to initialise) and, when TEST_DATABASE_URL is set, a PostgreSQL template database
 * that each test file copies with CREATE DATABASE ... TEMPLATE.
 */
export default async function setup(project: TestProject) {
  // Build the web app once, before any test starts an app process (npm start would otherwise
  // rebuild it while another test's app is serving it).
  await ensureWebBuild();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aed-test-'));
  const pglite = await createDb({ kind: 'pglite' });
  await migrateDb(pglite);
  const dump = await pglite.dumpDataDir!();
  await pglite.close();
  const dumpPath = path.join(dir, 'pglite.tar.gz');
  await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDumpPath', dumpPath);

  const url = process.env.TEST_DATABASE_URL;
  let template: string | null = null;
  if (url) {
    template = `aed_tpl_${process.pid}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${template}`);
    const pg = await createDb({ kind: 'postgres', url: withDatabase(url, template), maxConnections: 2 });
    await migrateDb(pg);
    await pg.close();
    await admin.end();
  } else {
    console.warn('\n[tests] PostgreSQL suite SKIPPED: TEST_DATABASE_URL is not set (PGlite suite runs).\n');
  }
  project.provide('postgresTemplate', template);

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
