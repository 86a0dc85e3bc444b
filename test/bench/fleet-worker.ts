/**
 * A client child process of the realtime benchmarks (started by fleet.ts): holds a share of the
 * volunteers' WebSockets and drives them on the parent's commands (IPC). Each volunteer speaks the
 * volunteer app's protocol: hello with its session token, a position once welcomed, then app pings
 * and position refreshes while idle, or paced position updates in a blast.
 */
import WebSocket from 'ws';

export interface Area {
  center: { lat: number; lng: number };
  spreadM: number;
}

export type WorkerCommand =
  | { cmd: 'connect'; url: string; tokens: string[]; firstIndex: number; sourceAddresses: string[]; area: Area }
  | { cmd: 'idle'; pingMs: number; positionMs: number; area: Area }
  | { cmd: 'blast'; startAt: number; durationMs: number; perConnectionPerS: number; area: Area; ref: string }
  | { cmd: 'stats' }
  | { cmd: 'close' };

export interface BlastReport {
  /** Positions sent, and those the pacer skipped because this process fell behind. */
  sent: number;
  skipped: number;
  lastSentAt: number;
  /** When the last barrier reply came back (epoch ms): every position before it was handled. */
  barriersDoneAt: number;
  barriersMissing: number;
  /** Error frames received during the blast, by code ("RATE_LIMITED:inflight" for MAX_PENDING). */
  errors: Record<string, number>;
}

export interface WorkerStats {
  open: number;
  closed: number;
  pongs: number;
  errors: Record<string, number>;
  rssMb: number;
}

const CONNECT_CONCURRENCY = 200;
const BARRIER_TIMEOUT_MS = 300_000;
const epochMs = (): number => performance.timeOrigin + performance.now();

const sockets: WebSocket[] = [];
let closed = 0;
let pongs = 0;
let errors: Record<string, number> = {};
let barrier: { ref: string; frame: string; pending: number; lastAt: number; done(): void } | null = null;
let idleTimer: ReturnType<typeof setInterval> | undefined;

function positionFrame(area: Area): string {
  const r = area.spreadM * Math.sqrt(Math.random());
  const a = 2 * Math.PI * Math.random();
  const lat = area.center.lat + (r * Math.cos(a)) / 111_195;
  const lng = area.center.lng + (r * Math.sin(a)) / (111_195 * Math.cos((area.center.lat * Math.PI) / 180));
  return `{"type":"position","lat":${lat.toFixed(6)},"lng":${lng.toFixed(6)},"accuracyM":10}`;
}

function onFrame(ws: WebSocket, text: string): void {
  if (text.startsWith('{"type":"pong"')) {
    pongs++;
    return;
  }
  if (!text.startsWith('{"type":"error"')) return;
  const frame = JSON.parse(text) as { code: string; message: string; ref?: string };
  if (barrier && frame.ref === barrier.ref) {
    if (frame.code !== 'ALREADY_AUTHENTICATED') {
      // The barrier itself was refused (too many messages in flight): ask again in a moment.
      const again = barrier.frame;
      setTimeout(() => ws.send(again), 200);
      return;
    }
    barrier.lastAt = epochMs();
    if (--barrier.pending === 0) barrier.done();
    return;
  }
  const key = frame.code === 'RATE_LIMITED' && frame.message.includes('in flight') ? 'RATE_LIMITED:inflight' : frame.code;
  errors[key] = (errors[key] ?? 0) + 1;
}

function open(url: string, token: string, localAddress: string, area: Area): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { localAddress, perMessageDeflate: false, handshakeTimeout: 60_000 });
    let welcomed = false;
    ws.once('error', (err) => !welcomed && reject(err));
    ws.once('close', (code) => {
      closed++;
      if (!welcomed) reject(new Error(`closed with ${code} before welcome`));
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token }, lastSeq: null })));
    ws.on('message', (data) => {
      const text = String(data);
      if (!welcomed && text.startsWith('{"type":"welcome"')) {
        welcomed = true;
        ws.send(positionFrame(area)); // on duty: the app shares its position at once
        return resolve(ws);
      }
      onFrame(ws, text);
    });
  });
}

async function connect(c: Extract<WorkerCommand, { cmd: 'connect' }>) {
  let failed = 0;
  const failures: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < c.tokens.length) {
      const i = next++;
      try {
        sockets.push(await open(c.url, c.tokens[i]!, c.sourceAddresses[(c.firstIndex + i) % c.sourceAddresses.length]!, c.area));
      } catch (err) {
        failed++;
        if (failures.length < 5) failures.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, lane));
  return { connected: sockets.length, failed, errors: failures };
}

/** The app's keepalive: a ping every `pingMs` and a position every `positionMs`, phases spread evenly. */
function idle(c: Extract<WorkerCommand, { cmd: 'idle' }>): void {
  const tickMs = 250;
  const pingSlots = Math.max(1, Math.round(c.pingMs / tickMs));
  const positionSlots = Math.max(1, Math.round(c.positionMs / tickMs));
  let tick = 0;
  clearInterval(idleTimer);
  idleTimer = setInterval(() => {
    for (let i = tick % pingSlots; i < sockets.length; i += pingSlots) sockets[i]!.send('{"type":"ping"}');
    for (let i = tick % positionSlots; i < sockets.length; i += positionSlots) sockets[i]!.send(positionFrame(c.area));
    tick++;
  }, tickMs);
}

/** Paced positions, round-robin over the sockets, then a barrier (a second hello) per socket. */
function blast(c: Extract<WorkerCommand, { cmd: 'blast' }>): Promise<BlastReport> {
  clearInterval(idleTimer);
  errors = {};
  const ratePerS = c.perConnectionPerS * sockets.length;
  const endAt = c.startAt + c.durationMs;
  /** Never more than this far behind: a client stall must not turn into a burst that the limiter refuses. */
  const maxOwed = Math.max(1, Math.floor(ratePerS / 20));
  let sent = 0;
  let skipped = 0;
  let lastSentAt = 0;
  let cursor = 0;
  return new Promise((resolve) => {
    const finish = () => {
      const report = (missing: number) => resolve({ sent, skipped, lastSentAt, barriersDoneAt: barrier?.lastAt ?? 0, barriersMissing: missing, errors: { ...errors } });
      const timeout = setTimeout(() => report(barrier?.pending ?? 0), BARRIER_TIMEOUT_MS);
      const frame = JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token: 'barrier' }, ref: c.ref });
      barrier = { ref: c.ref, frame, pending: sockets.length, lastAt: 0, done: () => (clearTimeout(timeout), report(0)) };
      for (const ws of sockets) ws.send(frame);
    };
    const loop = () => {
      const now = epochMs();
      if (now < c.startAt) return void setTimeout(loop, Math.max(1, c.startAt - now));
      const target = Math.floor((ratePerS * (Math.min(now, endAt) - c.startAt)) / 1000);
      let owed = target - sent - skipped;
      if (owed > maxOwed) {
        skipped += owed - maxOwed;
        owed = maxOwed;
      }
      for (; owed > 0; owed--) {
        sockets[cursor]!.send(positionFrame(c.area));
        cursor = (cursor + 1) % sockets.length;
        sent++;
      }
      lastSentAt = epochMs();
      if (now >= endAt) return finish();
      setTimeout(loop, 2);
    };
    loop();
  });
}

async function handle(c: WorkerCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'connect':
      return connect(c);
    case 'idle':
      return idle(c);
    case 'blast':
      return blast(c);
    case 'stats':
      return { open: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length, closed, pongs, errors, rssMb: process.memoryUsage().rss / 1e6 } satisfies WorkerStats;
    case 'close':
      clearInterval(idleTimer);
      for (const ws of sockets) ws.terminate();
      setTimeout(() => process.exit(0), 100);
      return null;
  }
}

process.on('message', (m: WorkerCommand & { id: number }) => {
  handle(m).then(
    (result) => process.send!({ id: m.id, result }),
    (err: unknown) => process.send!({ id: m.id, error: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
