/**
 * One volunteer's WebSocket driven step by step by a benchmark: send a message, wait for a frame,
 * or wait for a barrier (see ingest.ts). Frames carry the epoch time they arrived.
 */
import WebSocket from 'ws';
import { epochMs } from './fleet.ts';

export type Frame = { type: string; at: number; [key: string]: any };

export interface Probe {
  send(message: Record<string, unknown>): void;
  /** The first frame matching `test`, among those not yet taken (frames may arrive before the call). */
  next(test: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /**
   * Sends a second hello tagged `ref`; its ALREADY_AUTHENTICATED answer comes only after the server
   * handled every earlier message of this connection (they are handled one after another, in order).
   */
  barrier(ref: string, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

const KEPT_FRAMES = 500;

/** Connects a volunteer and resolves once welcomed. */
export function openProbe(url: string, token: string): Promise<Probe> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { perMessageDeflate: false });
  const kept: Frame[] = [];
  const waiters = new Set<{ test(f: Frame): boolean; resolve(f: Frame): void }>();
  ws.on('message', (data) => {
    const frame = { ...JSON.parse(String(data)), at: epochMs() } as Frame;
    for (const w of waiters) {
      if (w.test(frame)) {
        waiters.delete(w);
        return w.resolve(frame);
      }
    }
    kept.push(frame);
    if (kept.length > KEPT_FRAMES) kept.shift();
  });
  const probe: Probe = {
    send: (message) => ws.send(JSON.stringify(message)),
    next(test, timeoutMs = 30_000) {
      const i = kept.findIndex(test);
      if (i >= 0) return Promise.resolve(kept.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = {
          test,
          resolve: (f: Frame) => {
            clearTimeout(timer);
            resolve(f);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`probe: no matching frame within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    barrier(ref, timeoutMs) {
      probe.send({ type: 'hello', auth: { kind: 'volunteer', token: 'barrier' }, ref });
      return probe.next((f) => f.type === 'error' && f.code === 'ALREADY_AUTHENTICATED' && f.ref === ref, timeoutMs);
    },
    close: () => ws.terminate(),
  };
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => probe.send({ type: 'hello', auth: { kind: 'volunteer', token }, lastSeq: null }));
    probe.next((f) => f.type === 'welcome').then(() => resolve(probe), reject);
  });
}
