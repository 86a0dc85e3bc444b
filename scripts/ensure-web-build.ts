// Builds the web app before `npm start` when web/dist is missing or older than the sources, so a
// fresh clone needs only `npm install && npm start`. It builds into a temporary folder and swaps it
// in, so an app that is serving the old build never sees a half-written one.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'web', 'dist');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('dist') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than web/ and vite.config.ts. */
export function webBuildIsStale(): boolean {
  const index = path.join(dist, 'index.html');
  const sources = Math.max(newestMtimeMs(path.join(root, 'web')), statSync(path.join(root, 'vite.config.ts')).mtimeMs);
  return !existsSync(index) || statSync(index).mtimeMs < sources;
}

/** Builds web/dist if it is stale. */
export async function ensureWebBuild(): Promise<void> {
  if (!webBuildIsStale()) return;
  console.error('Building the web app (vite build)...');
  const tmp = `${dist}.tmp-${process.pid}`;
  // Under vitest NODE_ENV is "test", which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(tmp, dist);
  // Keep the old chunks' files out of the way but readable until this process exits; then drop them.
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await ensureWebBuild();
