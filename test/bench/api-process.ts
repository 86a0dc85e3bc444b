import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Resident set size of the API process (VmRSS in /proc/<pid>/status), in MB; 0 where /proc is missing. */
  rssMb(): number;
  /** What the process printed after its start-up banner (warnings and errors at LOG_LEVEL=warn), at most 64 KB. */
  output(): string;
  /**
   * Forces full garbage collections through the inspector and returns the V8 heap then, in MB.
   * @throws unless started with `{ inspect: true }`
   */
  collectGarbage(): Promise<{ heapUsedMb: number; heapTotalMb: number }>;
  /** The inspector's WebSocket URL when started with `{ inspect: true }`. */
  inspectorUrl: string | undefined;
  stop(): Promise<void>;
}

/** VmRSS of a process from /proc/<pid>/status, in MB (10^6 bytes); 0 when unreadable. */
export function processRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return m ? (Number(m[1]) * 1024) / 1e6 : 0;
  } catch {
    return 0; // not Linux, or the process is gone
  }
}

/** User plus system CPU time a process has used, in ms (from /proc/<pid>/stat, 10 ms ticks); 0 when unreadable. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export interface ApiProcessOptions {
  /** Flags for node before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** Opens the inspector on a free loopback port, for collectGarbage(). */
  inspect?: boolean;
}

/** Starts one API process (api/main.ts, no web build) and waits for its start-up banner. */
export async function startApiProcess(env: Record<string, string>, options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const args = [...(options.nodeArgs ?? []), ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []), '--import', 'tsx', 'api/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** Everything up to the banner (start-up), then a bounded log of what came after it. */
  let out = '';
  let log = '';
  let started = false;
  const keep = (d: Buffer) => {
    if (!started) return void (out += d);
    log += d;
    if (log.length > 128 * 1024) log = log.slice(-64 * 1024);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = !started && out.match(/Volunteer app:\s+http:\/\/[^:]+:(\d+)\/[^\n]*\n[^]*?\n\n/);
      if (m) {
        clearTimeout(timer);
        started = true;
        log = out.slice(m.index! + m[0].length);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`API exited with ${code}:\n${out}${log}`)));
  });
  const inspectorUrl = out.match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
  return {
    url,
    child,
    rssMb: () => processRssMb(child.pid),
    output: () =>
      log
        .slice(-64 * 1024)
        .split('\n')
        .filter((line) => !/^(Debugger (attached|ending|listening)|For help, see)/.test(line))
        .join('\n'),
    inspectorUrl,
    async collectGarbage() {
      if (!inspectorUrl) throw new Error('collectGarbage needs an API process started with { inspect: true }');
      const session = await openInspector(inspectorUrl);
      try {
        // Twice: array buffers are freed by a concurrent sweeper.
        await session.call('HeapProfiler.collectGarbage');
        await new Promise((r) => setTimeout(r, 200));
        await session.call('HeapProfiler.collectGarbage');
        const usage = await session.call('Runtime.getHeapUsage');
        return { heapUsedMb: usage.usedSize / 1e6, heapTotalMb: usage.totalSize / 1e6 };
      } finally {
        session.close();
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A Chrome DevTools protocol session on a node inspector URL. */
export async function openInspector(url: string): Promise<{ call(method: string, params?: object): Promise<any>; close(): void }> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const reply = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply.result);
    if (reply.id !== undefined) waiting.delete(reply.id);
  });
  return {
    call: (method, params) =>
      new Promise((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}
