import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startAppProcess, type AppProcess } from '../support/app-process.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { screenshotPath } from '../support/screenshots.ts';

describe.skipIf(!hasChromium)('the web app in Chromium', () => {
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppProcess(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it.each(['/', '/responder', '/admin'])('loads %s without console errors and shows the call-120 link', async (p) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.url}${p}`);
    await expect(page.getByRole('link', { name: /120/ }).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: await screenshotPath(`shell${p.replace(/\//g, '-') || '-home'}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  });
});
