import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The budget for everything the SOS button needs before it works (gzip). React and react-dom alone are ~65 KB. */
const SOS_BUDGET_BYTES = 100 * 1024;

describe('the JavaScript needed before the SOS button works', () => {
  let outDir: string;
  let html: string;
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'aed-web-build-'));
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    html = await readFile(path.join(outDir, 'index.html'), 'utf8');
  }, 120_000);
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  /** The entry script and every chunk it statically imports (Vite lists those as modulepreload). */
  async function criticalScripts(): Promise<{ file: string; text: string }[]> {
    const srcs = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThan(0);
    return Promise.all(srcs.map(async (src) => ({ file: src, text: await readFile(path.join(outDir, src), 'utf8') })));
  }

  it(`stays under ${SOS_BUDGET_BYTES / 1024} KB gzip`, async () => {
    const scripts = await criticalScripts();
    const gzipBytes = scripts.reduce((sum, s) => sum + gzipSync(s.text, { level: 9 }).length, 0);
    console.log(`[bundle] JS before the SOS button works: ${(gzipBytes / 1024).toFixed(1)} KB gzip in ${scripts.length} file(s): ${scripts.map((s) => s.file).join(', ')}`);
    expect(gzipBytes).toBeLessThan(SOS_BUDGET_BYTES);
  });

  it('holds neither Leaflet nor the volunteer and admin apps: those load with import()', async () => {
    for (const { file, text } of await criticalScripts()) {
      expect(text, file).not.toMatch(/_leaflet_id|leaflet-container/);
      expect(text, file).not.toMatch(/alertdialog|certificateExpiresOn/);
    }
  });
});
