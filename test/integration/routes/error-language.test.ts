import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedApp } from '../../../api/server.ts';
import { createTestApp } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';

/**
 * Errors in the language the client asks for: the web app sends its page language as
 * Accept-Language, so a Chinese page shows Chinese problems under its fields. Codes, paths and
 * statuses are the same in both languages.
 */
describe.each(testDrivers)('error messages in the Accept-Language of the request on %s', (driver) => {
  let database: TestDatabase;
  let prepared: PreparedApp;

  beforeAll(async () => {
    database = await openTestDb(driver);
    prepared = await createTestApp(database);
  });
  afterAll(async () => {
    await prepared.close();
    await database.close();
  });

  const post = async (path: string, body: unknown, lang?: string) => {
    const res = await prepared.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(lang ? { 'accept-language': lang } : {}) }, body: JSON.stringify(body) });
    return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } }).error };
  };
  const badRegistration = { email: 'not-an-address', password: 'short', displayName: '' };

  it('words validation issues in Chinese for a Chinese page, each under its field', async () => {
    const { status, error } = await post('/api/auth/register', badRegistration, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('email：须为电子邮箱地址');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'email', message: '须为电子邮箱地址' },
        { path: 'password', message: '至少 8 个字符' },
      ]),
    );
    expect(Object.keys(error.issues![0]!)).toEqual(['path', 'message']);
  });

  it('keeps English for English and for clients that name no language', async () => {
    for (const lang of ['en-US,en;q=0.9', undefined]) {
      const { status, error } = await post('/api/auth/register', badRegistration, lang);
      expect(status).toBe(400);
      expect(error.message).toBe('email: must be an e-mail address');
      expect(error.issues).toEqual(expect.arrayContaining([{ path: 'password', message: 'must be at least 8 characters' }]));
    }
  });

  it('says a missing field is required, and words errors other than validation', async () => {
    const missing = await post('/api/auth/register', { email: 'li@example.org' }, 'zh-CN');
    expect(missing.error.issues).toEqual(expect.arrayContaining([{ path: 'password', message: '必填' }]));
    const login = await post('/api/auth/login', { email: 'nobody@example.org', password: 'wrong-password' }, 'zh-CN');
    expect(login).toEqual({ status: 401, error: { code: 'UNAUTHORIZED', message: '邮箱或密码不正确' } });
    const sos = await post('/api/incidents', { qrCode: 'zzzz9999', clientRequestId: '6f1c2a7e-3b4d-4c5e-8f90-a1b2c3d4e5f6' }, 'zh-CN');
    expect(sos.status).toBe(404);
    expect(sos.error).toMatchObject({ code: 'UNKNOWN_QR_CODE', message: '这个二维码没有登记。请拨打 120 并说明你所在的位置。' });
  });

  it('refuses to register an address under .invalid, the drill accounts\' domain, and creates no account', async () => {
    const count = async () => ((await database.execute('select count(*)::int as n from users')) as unknown as { rows?: { n: number }[] } & { n: number }[]);
    const before = await count();
    const body = { email: 'drill-volunteer-1@drill.invalid', password: 'volunteer-pw-1', displayName: 'Sneaky' };
    expect(await post('/api/auth/register', body)).toEqual({ status: 400, error: expect.objectContaining({ message: 'email: must be an address that can receive mail' }) });
    expect((await post('/api/auth/register', body, 'zh-CN')).error.message).toBe('email：须为能收信的邮箱地址');
    expect(await count()).toEqual(before);
  });
});
