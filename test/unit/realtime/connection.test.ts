import { describe, expect, it, vi } from 'vitest';
import { UnauthorizedError, ValidationError } from '../../../api/errors.ts';
import { Connection, type ConnectionOptions, type RealtimeHandlers } from '../../../api/realtime/connection.ts';
import { createHub, type HubStore } from '../../../api/realtime/hub.ts';

const userId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const hello = JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token: 'good' } });

function setup(overrides: { store?: HubStore; handlers?: Partial<RealtimeHandlers>; now?: () => number } = {}) {
  const frames: Record<string, unknown>[] = [];
  const closes: number[] = [];
  const hub = createHub(overrides.store ?? { backlog: async () => [], lastSeq: async () => 0 });
  const handlers: RealtimeHandlers = {
    authenticateVolunteer: async (token) => {
      if (token !== 'good') throw new UnauthorizedError();
      return { userId };
    },
    authenticateBystander: async () => false,
    onPosition: vi.fn(async () => {}),
    onRespond: vi.fn(async () => {}),
    onDisconnect: vi.fn(),
    ...overrides.handlers,
  };
  const options: ConnectionOptions = {
    hub,
    handlers,
    logger: { debug() {}, info() {}, warn() {}, error: vi.fn() },
    rateLimit: { burst: 50, perSecond: 20 },
    authFailureCloseDelayMs: 0,
    now: overrides.now ?? (() => 0),
  };
  const connection = new Connection({ send: (data) => frames.push(JSON.parse(data)), close: (code) => closes.push(code) }, options);
  const settled = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { connection, frames, closes, hub, handlers, settled };
}

describe('Connection', () => {
  it('handles messages sent right behind hello once hello is accepted', async () => {
    const { connection, frames, handlers, settled } = setup();
    connection.receive(hello);
    connection.receive(JSON.stringify({ type: 'position', lat: 1, lng: 2 }));
    await settled();
    expect(frames).toEqual([{ type: 'welcome', recipient: `user:${userId}`, lastSeq: 0 }]);
    expect(handlers.onPosition).toHaveBeenCalledWith(userId, { lat: 1, lng: 2, accuracyM: undefined, level: undefined });
  });

  it('refuses a second hello', async () => {
    const { connection, frames, settled } = setup();
    connection.receive(hello);
    connection.receive(hello);
    await settled();
    expect(frames[1]).toMatchObject({ type: 'error', code: 'ALREADY_AUTHENTICATED' });
  });

  it('passes a handler’s validation issues on in the error frame', async () => {
    const { connection, frames, settled } = setup({
      handlers: { onRespond: async () => Promise.reject(new ValidationError('Bad answer', [{ path: 'action', message: 'not now' }])) },
    });
    connection.receive(hello);
    connection.receive(JSON.stringify({ type: 'respond', incidentId: userId, action: 'accept' }));
    await settled();
    expect(frames[1]).toEqual({ type: 'error', code: 'VALIDATION_FAILED', message: 'Bad answer', issues: [{ path: 'action', message: 'not now' }] });
  });

  it('ignores what follows a refused hello, then closes with 4401', async () => {
    const { connection, frames, closes, handlers, settled } = setup();
    connection.receive(JSON.stringify({ type: 'hello', auth: { kind: 'volunteer', token: 'bad' } }));
    await settled();
    connection.receive(JSON.stringify({ type: 'position', lat: 1, lng: 2 }));
    await settled();
    expect(frames).toEqual([{ type: 'error', code: 'UNAUTHORIZED', message: 'Sign in first' }]);
    expect(closes).toEqual([4401]);
    expect(handlers.onPosition).not.toHaveBeenCalled();
  });

  it('closes with 1011 when the missed events cannot be loaded, so the client resumes elsewhere', async () => {
    const { connection, frames, closes, hub, settled } = setup({ store: { backlog: async () => [], lastSeq: async () => Promise.reject(new Error('db down')) } });
    connection.receive(hello);
    await settled();
    expect(frames).toEqual([{ type: 'error', code: 'INTERNAL', message: expect.any(String) }]);
    expect(JSON.stringify(frames)).not.toMatch(/db down/);
    expect(closes).toEqual([1011]);
    expect(hub.connectionCount()).toBe(0);
  });

  it('leaves the hub and tells the services when the socket closes', async () => {
    const { connection, hub, handlers, settled } = setup();
    connection.receive(hello);
    await settled();
    expect(hub.isConnected(`user:${userId}`)).toBe(true);
    connection.onClosed();
    await settled();
    expect(hub.isConnected(`user:${userId}`)).toBe(false);
    expect(handlers.onDisconnect).toHaveBeenCalledWith(userId);
  });

  describe('a session that ends after hello (logout, expiry)', () => {
    function signedOutLater(now: () => number = () => 0) {
      const session = { live: true };
      const t = setup({
        now,
        handlers: {
          authenticateVolunteer: async () => {
            if (!session.live) throw new UnauthorizedError('Your session has expired or was revoked; sign in again');
            return { userId };
          },
        },
      });
      return { ...t, session };
    }

    it('refuses the next answer to an alert with UNAUTHORIZED and closes with 4401', async () => {
      const { connection, frames, closes, handlers, session, settled } = signedOutLater();
      connection.receive(hello);
      await settled();
      session.live = false;
      connection.receive(JSON.stringify({ type: 'respond', incidentId: userId, action: 'accept', ref: 'a' }));
      await settled();
      expect(handlers.onRespond).not.toHaveBeenCalled();
      expect(frames.at(-1)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED', ref: 'a' });
      expect(closes).toEqual([4401]);
    });

    it('trusts positions for sessionRecheckMs after a check, then checks again', async () => {
      let nowMs = 0;
      const { connection, frames, closes, handlers, session, settled } = signedOutLater(() => nowMs);
      connection.receive(hello);
      await settled();
      session.live = false;
      connection.receive(JSON.stringify({ type: 'position', lat: 1, lng: 2 }));
      await settled();
      expect(handlers.onPosition).toHaveBeenCalledTimes(1);
      nowMs = 120_000;
      connection.receive(JSON.stringify({ type: 'position', lat: 1, lng: 2, ref: 'p' }));
      await settled();
      expect(handlers.onPosition).toHaveBeenCalledTimes(1);
      expect(frames.at(-1)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED', ref: 'p' });
      expect(closes).toEqual([4401]);
    });
  });

  it('refuses binary frames', () => {
    const { connection, frames } = setup();
    connection.receive(new ArrayBuffer(4));
    expect(frames).toEqual([{ type: 'error', code: 'INVALID_MESSAGE', message: expect.any(String) }]);
  });
});
