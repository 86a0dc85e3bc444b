import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Screenshots go to test-output/screenshots (git-ignored) for people to look at. */
export async function screenshotPath(name: string): Promise<string> {
  const dir = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
  await mkdir(dir, { recursive: true });
  return path.join(dir, name);
}
