import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import type { AppProcess } from '../support/app-process.ts';

/** The demo QR code the start-up banner prints ("Bystander page (demo QR code): http://…/e/<code>"). */
export function demoQrCode(app: AppProcess): string {
  const m = app.output().match(/Bystander page \(demo QR code\):\s+\S+\/e\/([A-Za-z0-9_-]+)/);
  if (!m) throw new Error(`The start-up banner printed no demo QR code:\n${app.output()}`);
  return m[1]!;
}

/** QR spots of the demo campus geo-data (the codes the app loads on first run). */
export function demoQrSpots(): { code: string; lat: number; lng: number; buildingName: string }[] {
  const fc = JSON.parse(readFileSync(new URL('../../geo-data/northwestern-evanston/qr-spots.geojson', import.meta.url), 'utf8')) as {
    features: { geometry: { coordinates: [number, number] }; properties: { code: string; buildingName: string } }[];
  };
  return fc.features.map((f) => ({ code: f.properties.code, lng: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], buildingName: f.properties.buildingName }));
}

/** A JSON call to the app from the test (not the browser). */
export async function apiCall<T>(app: AppProcess, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

/** Collects console errors and uncaught exceptions of a page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // Requests the test cuts on purpose (offline) log as failed loads: those are expected.
    if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** A phone: 360×740 by default, touch, mocked geolocation allowed for the app's origin. */
export async function phoneContext(browser: import('playwright-core').Browser, app: AppProcess, options: { width?: number; height?: number; at?: { lat: number; lng: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 360, height: options.height ?? 740 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
  });
  if (options.at) {
    await context.grantPermissions(['geolocation'], { origin: app.url });
    await context.setGeolocation({ latitude: options.at.lat, longitude: options.at.lng, accuracy: 8 });
  }
  return context;
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
