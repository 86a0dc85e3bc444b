import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface AppProcess {
  url: string;
  output: () => string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the app the way `npm start` does, in its own process group, on a free port and a fresh data
 * folder, and resolves once it prints its URLs.
 */
export async function startAppProcess(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<AppProcess> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'aed-app-')));
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATABASE_URL: '', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = out.match(/Volunteer app:\s+(http:\/\/[^/\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    child,
    async stop() {
      const running = () => child.exitCode === null && child.signalCode === null;
      // A group already gone (a test killed it) is not an error.
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
      };
      if (running()) {
        const exited = new Promise((r) => child.once('exit', r));
        signal('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (running()) signal('SIGKILL');
      }
      // npm can exit before the server it started has closed its database: wait for the whole group,
      // or the data folder is removed while PGlite still writes to it (ENOTEMPTY, seen in CI).
      if (!(await groupGone(child.pid!, 5000))) {
        signal('SIGKILL');
        await groupGone(child.pid!, 2000);
      }
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Whether every process of the group led by `pid` has exited, polled for up to `timeoutMs`. */
async function groupGone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; ; ) {
    try {
      process.kill(-pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
      throw err;
    }
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
