import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../support/app-process.ts';

describe('npm start on a fresh data folder', () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startAppProcess({ ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'start-Secret-1' });
  });
  afterAll(() => app?.stop());

  it('answers /api/health on embedded PGlite', async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'pglite' });
  });

  it('serves the web app at / and at client-side routes', async () => {
    for (const p of ['/', '/responder', '/admin', '/e/abc123']) {
      const res = await fetch(`${app.url}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<html/i);
    }
  });

  it('prints the volunteer, admin and bystander URLs', () => {
    expect(app.output()).toMatch(/\/responder/);
    expect(app.output()).toMatch(/\/admin/);
    expect(app.output()).toMatch(/\/e\/[A-Za-z0-9_-]+/);
  });

  it('lets the admin from ADMIN_EMAIL and ADMIN_PASSWORD sign in', async () => {
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.org', password: 'start-Secret-1' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).token).toEqual(expect.any(String));
  });
});
