import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR, type RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { http, type HttpAnswer } from './security-helpers.ts';

const assets = readdirSync(path.join(WEB_DIST_DIR, 'assets'));
const script = assets.find((f) => f.endsWith('.js'))!;
const stylesheet = assets.find((f) => f.endsWith('.css'))!;

/** Every kind of answer the app gives: API JSON, API errors, the docs, the web app and its files. */
const ANSWERS: [name: string, method: string, path: string, status: number, body?: string][] = [
  ['API JSON', 'GET', '/api/health', 200],
  ['the OpenAPI document', 'GET', '/api/openapi.json', 200],
  ['the API docs page', 'GET', '/api/docs', 200],
  ['an unknown API route', 'GET', '/api/no-such-route', 404],
  ['invalid query input', 'GET', '/api/aeds/nearest?lat=north&lng=1', 400],
  ['a malformed JSON body', 'POST', '/api/auth/login', 400, '{"email":'],
  ['a missing token', 'GET', '/api/auth/me', 401],
  ['a wrong incident token', 'GET', '/api/incidents/00000000-0000-4000-8000-000000000001?token=wrong-token-123', 404],
  ['the web app shell', 'GET', '/', 200],
  ['a client-side route', 'GET', '/e/b3jyvkxm', 200],
  ['a script', 'GET', `/assets/${script}`, 200],
  ['a stylesheet', 'GET', `/assets/${stylesheet}`, 200],
  ['the service worker', 'GET', '/sw.js', 200],
  ['the web app manifest', 'GET', '/manifest.webmanifest', 200],
  ['an icon', 'GET', '/icon.svg', 200],
  ['an asset of an older build', 'GET', '/assets/index-0ld0ld00.js', 404],
  ['a missing file', 'GET', '/no-such-file.png', 404],
];

/** A Content-Security-Policy header as directive → sources. */
function parseCsp(header: string | undefined): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Sources that would let a script run from anywhere but this origin, or inline. */
const UNSAFE_SCRIPT_SOURCE = /^('unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|'wasm-unsafe-eval'|\*|https?:|data:|blob:|[a-z][a-z0-9+.-]*:\/\/.*|\*\..*)$/i;

function expectSecurityHeaders(res: HttpAnswer, where: string) {
  const csp = parseCsp(res.headers['content-security-policy'] as string | undefined);
  expect(csp.get('default-src'), `${where}: default-src`).toEqual(["'self'"]);
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src')!;
  expect(scriptSrc.filter((s) => UNSAFE_SCRIPT_SOURCE.test(s)), `${where}: script-src ${scriptSrc.join(' ')}`).toEqual([]);
  expect(csp.get('script-src-elem') ?? [], `${where}: script-src-elem`).toEqual(csp.has('script-src-elem') ? ["'self'"] : []);
  expect(csp.get('object-src'), `${where}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${where}: base-uri`).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors'), `${where}: frame-ancestors`).toEqual(["'none'"]);
  expect(res.headers['x-frame-options'], `${where}: X-Frame-Options`).toBe('DENY');
  expect(res.headers['x-content-type-options'], `${where}: nosniff`).toBe('nosniff');
  // The bystander page's URL may carry the incident token (?token=): it must not leave in a Referer.
  expect(['no-referrer', 'same-origin'], `${where}: Referrer-Policy`).toContain(res.headers['referrer-policy']);
  expect(res.headers['x-powered-by'], `${where}: X-Powered-By`).toBeUndefined();
  expect(res.headers.server ?? '', `${where}: Server`).not.toMatch(/\d/);
  // Browsers ignore HSTS over plain HTTP, so sending it is harmless there and needed behind TLS; a
  // preload commitment is the operator's decision, not the app's.
  const hsts = res.headers['strict-transport-security'] as string | undefined;
  if (hsts !== undefined) {
    expect(Number(hsts.match(/max-age=(\d+)/)?.[1]), `${where}: HSTS max-age`).toBeGreaterThanOrEqual(15_552_000);
    expect(hsts, `${where}: HSTS`).not.toMatch(/preload/);
  }
}

describe.each(testDrivers)('security headers on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(database, {}, { serveWeb: true });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it.each(ANSWERS)('sends the security headers with %s', async (name, method, path, status, body) => {
    const res = await http(server.url, method, path, body === undefined ? {} : { body });
    expect(res.status, `${name}: ${res.text.slice(0, 200)}`).toBe(status);
    expectSecurityHeaders(res, name);
  });

  it('serves a web app shell with no inline script for the policy to block', async () => {
    const res = await http(server.url, 'GET', '/');
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(inline.trim()).toBe('');
    }
    expect(res.text).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers either
  });

  it('grants no other origin access to the API (no CORS headers, preflight included)', async () => {
    const origin = { origin: 'https://evil.example' };
    const get = await http(server.url, 'GET', '/api/health', { headers: origin });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await http(server.url, 'OPTIONS', '/api/auth/login', {
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('tells browsers and proxies to keep no copy of API answers, sessions and errors included', async () => {
    const registered = await http(server.url, 'POST', '/api/auth/register', { body: { email: 'headers@example.org', password: 'volunteer-pw-1', displayName: 'H' } });
    expect(registered.status).toBe(201);
    const me = await http(server.url, 'GET', '/api/auth/me', { token: registered.body.token });
    const unauthorized = await http(server.url, 'GET', '/api/auth/me');
    for (const res of [registered, me, unauthorized]) expect(res.headers['cache-control']).toBe('no-store');
    // Built assets keep their long-lived caching: they are content-addressed and public.
    expect((await http(server.url, 'GET', `/assets/${script}`)).headers['cache-control']).toMatch(/immutable/);
  });
});
