import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Debian's Chromium is installed; CI installs it (.ci/run), so there the browser suites always run. */
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) {
  const msg = `[tests] Browser suites SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-noto-cjk).`;
  if (process.env.CI) throw new Error(`${msg} CI must have it.`);
  console.warn(msg);
}

/** Launches headless Chromium with the flags this closed-network machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
