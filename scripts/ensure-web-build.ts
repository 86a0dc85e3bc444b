// Builds the web app before `npm start` when web/dist is missing or older than the sources,
// so a fresh clone needs only `npm install && npm start`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'web', 'dist', 'index.html');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtimeMs(path.join(root, 'web')), statSync(path.join(root, 'vite.config.ts')).mtimeMs);
if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
  console.error('Building the web app (vite build)...');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
