import { parseConfig } from '../../api/config.ts';
import type { Database } from '../../api/db/client.ts';
import { prepareApp, startServer, type PreparedApp, type RunningServer, type StartOptions } from '../../api/server.ts';
import { createLogger } from '../../api/logger.ts';

/** The config a test app runs with: quiet, no demo seed unless asked, port 0. */
export function testConfig(env: Record<string, string> = {}) {
  // Tests sign many volunteers up from one address; the sign-up limit has tests of its own.
  return parseConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', PORT: '0', HOST: '127.0.0.1', REGISTER_BURST: '100000', ...env });
}

/** The whole app wired as in production over a test database, for `app.request()` tests. */
export function createTestApp(database: Database, env: Record<string, string> = {}, options: StartOptions = {}): Promise<PreparedApp> {
  return prepareApp(testConfig(env), { database, serveWeb: false, logger: createLogger('silent'), ...options });
}

/** The whole app listening on a free loopback port, for real HTTP and WebSocket clients. */
export function startTestServer(database: Database, env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
  return startServer(testConfig(env), { database, serveWeb: false, logger: createLogger('silent'), ...options });
}
