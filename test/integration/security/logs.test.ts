import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../../api/config.ts';
import { appSettings, users } from '../../../api/db/schema/index.ts';
import { createLogger } from '../../../api/logger.ts';
import { startTestServer } from '../../support/app.ts';
import { startAppProcess } from '../../support/app-process.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { eventOf, LIBRARY_QR } from '../dispatch/helpers.ts';
import { expectNoLeak, helloBystander, helloVolunteer, http, openSocket } from './security-helpers.ts';

const vapid = webpush.generateVAPIDKeys();
const SECRETS = {
  adminPassword: 'admin-Secret-pw-4242',
  volunteerPassword: 'volunteer-Secret-pw-77',
  wrongPassword: 'guessed-Wrong-pw-1313',
  faultPassword: 'fault-Secret-pw-999',
  dbPassword: 'db-Secret-pw-31337',
  vapidPrivateKey: vapid.privateKey,
  pushAuth: randomBytes(16).toString('base64url'),
};
const ADMIN_EMAIL = 'logs-admin@example.org';

/** The PostgreSQL URL with a password in it (trust auth ignores it; the app must still keep it to itself). */
const withPassword = (url: string) => Object.assign(new URL(url), { password: SECRETS.dbPassword }).toString();

describe('configuration errors', () => {
  it('name the bad keys without their values', () => {
    const env = {
      DATABASE_URL: `mysql://root:${SECRETS.dbPassword}@db.internal/aed`,
      ADMIN_EMAIL,
      ADMIN_PASSWORD: 'short7!',
      VAPID_PRIVATE_KEY: SECRETS.vapidPrivateKey,
    };
    const error = (() => {
      try {
        parseConfig(env);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as ConfigError; // what `npm start` prints
    for (const key of ['DATABASE_URL', 'ADMIN_PASSWORD', 'VAPID_PRIVATE_KEY']) expect(message).toContain(key);
    expectNoLeak(message, { dbPassword: SECRETS.dbPassword, adminPassword: 'short7!', vapidPrivateKey: SECRETS.vapidPrivateKey }, 'the configuration error');
  });
});

describe.each(testDrivers)('secrets kept out of the logs on %s', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDb(driver);
  });
  afterAll(async () => {
    await database.close();
  });

  const env = () => ({
    SEED_DEMO: 'true',
    LOG_LEVEL: 'debug',
    ADMIN_EMAIL,
    ADMIN_PASSWORD: SECRETS.adminPassword,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: SECRETS.vapidPrivateKey,
    ...(database.url ? { DATABASE_URL: withPassword(database.url) } : {}),
  });

  it('logs no password, token, key or hash through sign-up, sign-in, SOS, push, admin actions and errors', async () => {
    const lines: string[] = [];
    const printed: string[] = [];
    // Anything written around the logger (console, a stray write) counts as logged too.
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)),
    );
    const tokens: Record<string, string> = {};
    const server = await startTestServer(database, env(), {
      logger: createLogger('debug', (line) => lines.push(line)),
      incidents: { acceptTimeoutMs: 24 * 3_600_000 },
      push: { send: async () => ({ status: 201 }) },
      // On PostgreSQL the app opens its own connection from DATABASE_URL, password and all.
      ...(database.url ? { database: undefined } : {}),
    });
    try {
      const volunteerEmail = `logged-${randomUUID().slice(0, 8)}@example.org`;
      const registered = await http(server.url, 'POST', '/api/auth/register', { body: { email: volunteerEmail, password: SECRETS.volunteerPassword, displayName: 'Logged', phone: '+86 138 0000 0000' } });
      expect(registered.status).toBe(201);
      tokens.volunteer = registered.body.token;
      const admin = await http(server.url, 'POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: SECRETS.adminPassword } });
      expect(admin.status).toBe(200);
      tokens.admin = admin.body.token;
      for (const email of [volunteerEmail, 'nobody@example.org']) {
        expect((await http(server.url, 'POST', '/api/auth/login', { body: { email, password: SECRETS.wrongPassword } })).status).toBe(401);
      }
      expect((await http(server.url, 'POST', `/api/admin/volunteers/${registered.body.user.id}/verify`, { token: tokens.admin, body: { certificateExpiresOn: '2099-01-01' } })).status).toBe(200);

      // On duty next to the library, with a phone subscribed to Web Push.
      expect((await http(server.url, 'PUT', '/api/volunteer/duty', { token: tokens.volunteer, body: { onDuty: true } })).status).toBe(200);
      const volunteerSocket = await openSocket(server.url);
      expect(await helloVolunteer(volunteerSocket, tokens.volunteer)).toMatchObject({ type: 'welcome' });
      expect((await http(server.url, 'POST', '/api/volunteer/position', { token: tokens.volunteer, body: { lat: 42.0522, lng: -87.6741 } })).status).toBe(200);
      const p256dh = randomBytes(65).toString('base64url');
      const subscription = { endpoint: 'https://push.example.invalid/send/abc', keys: { p256dh, auth: SECRETS.pushAuth } };
      expect((await http(server.url, 'POST', '/api/volunteer/push/subscriptions', { token: tokens.volunteer, body: subscription })).status).toBe(200);
      expect((await http(server.url, 'POST', '/api/volunteer/push/test', { token: tokens.volunteer })).status).toBe(200);

      // An SOS, followed by its bystander, answered by the volunteer.
      const sos = await http(server.url, 'POST', '/api/incidents', { body: { qrCode: LIBRARY_QR, clientRequestId: randomUUID() } });
      expect(sos.status).toBe(201);
      tokens.publicToken = sos.body.publicToken;
      const { incidentId } = sos.body;
      expect((await http(server.url, 'GET', `/api/incidents/${incidentId}?token=${tokens.publicToken}`)).status).toBe(200);
      const bystander = await openSocket(server.url);
      expect(await helloBystander(bystander, incidentId, tokens.publicToken)).toMatchObject({ type: 'welcome' });
      const intruder = await openSocket(server.url);
      expect(await helloVolunteer(intruder, `${tokens.volunteer.slice(0, -1)}x`)).toMatchObject({ code: 'UNAUTHORIZED' });
      await volunteerSocket.waitFor(eventOf('alert', incidentId));
      volunteerSocket.send({ type: 'respond', incidentId, action: 'accept', ref: 'accept' });
      volunteerSocket.send({ type: 'hello', auth: { kind: 'volunteer', token: tokens.volunteer } }); // a protocol error
      await volunteerSocket.waitFor((f) => f.type === 'error' && f.code === 'ALREADY_AUTHENTICATED');

      // Bad input that carries secrets.
      expect((await http(server.url, 'POST', '/api/auth/login', { body: `{"email":"${volunteerEmail}","password":"${SECRETS.volunteerPassword}"` })).status).toBe(400);
      expect((await http(server.url, 'POST', '/api/auth/login', { body: { email: 'not-an-email', password: SECRETS.volunteerPassword } })).status).toBe(400);
      expect((await http(server.url, 'POST', '/api/auth/register', { body: { email: 'short@example.org', password: 'short', displayName: 'S' } })).status).toBe(400);
      expect((await http(server.url, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${tokens.publicToken}` } })).status).toBe(401);
      bystander.send(`{"type":"ping","token":"${tokens.publicToken}"`);
      await bystander.waitFor((f) => f.type === 'error' && f.code === 'INVALID_MESSAGE');

      // Failures the database reports (a constraint the statement breaks): logged as bugs, with the statement but not its values.
      await database.execute(`alter table users add constraint security_fault check (display_name <> 'Fault Injection')`);
      await database.execute(`alter table push_subscriptions add constraint security_fault check (endpoint not like '%/fault')`);
      try {
        const faulty = await http(server.url, 'POST', '/api/auth/register', { body: { email: `fault-${randomUUID().slice(0, 8)}@example.org`, password: SECRETS.faultPassword, displayName: 'Fault Injection' } });
        expect(faulty.status).toBe(500);
        const push = await http(server.url, 'POST', '/api/volunteer/push/subscriptions', { token: tokens.volunteer, body: { ...subscription, endpoint: 'https://push.example.invalid/fault' } });
        expect(push.status).toBe(500);
      } finally {
        await database.execute(`alter table users drop constraint security_fault; alter table push_subscriptions drop constraint security_fault`);
      }

      // Admin actions, then sign-out.
      expect((await http(server.url, 'GET', `/api/admin/incidents/${incidentId}`, { token: tokens.admin })).status).toBe(200);
      expect((await http(server.url, 'POST', `/api/admin/volunteers/${registered.body.user.id}/reject`, { token: tokens.admin, body: { reason: 'log test' } })).status).toBe(200);
      for (const token of [tokens.volunteer, tokens.admin]) expect((await http(server.url, 'POST', '/api/auth/logout', { token })).status).toBe(200);
      for (const s of [volunteerSocket, bystander, intruder]) await s.close();
    } finally {
      for (const spy of spies) spy.mockRestore();
      await server.close();
    }

    const logged = [...lines, ...printed].join('\n');
    // The capture works: the SOS and both failures are there.
    expect(logged).toContain('incident created');
    expect(logged.match(/unhandled error/g)).toHaveLength(2);
    expect(logged).toContain('Failed query');
    const [secret] = await database.db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, 'server_secret'));
    const hashes = (await database.db.select({ hash: users.passwordHash }).from(users)).map((r) => r.hash.split('$').at(-1)!);
    expectNoLeak(
      logged,
      { ...SECRETS, ...tokens, serverSecret: String(secret?.value ?? ''), scrypt: 'scrypt$', ...Object.fromEntries(hashes.map((h, i) => [`hash${i}`, h])) },
      'the logs',
    );
  });

  it.runIf(driver === 'postgres')('prints no secret when npm start runs with DATABASE_URL, ADMIN_PASSWORD and a VAPID key pair', async () => {
    const app = await startAppProcess({ ...env(), SEED_DEMO: 'false' });
    let token = '';
    try {
      const ok = await http(app.url, 'POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: SECRETS.adminPassword } });
      expect(ok.status).toBe(200);
      token = ok.body.token;
      expect((await http(app.url, 'POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: SECRETS.wrongPassword } })).status).toBe(401);
      expect((await http(app.url, 'GET', '/api/admin/volunteers', { token })).status).toBe(200);
    } finally {
      await app.stop();
    }
    expect(app.output()).toContain('Volunteer app');
    expectNoLeak(app.output(), { ...SECRETS, token, databaseUrl: withPassword(database.url!) }, 'the output of npm start');
  });
});
