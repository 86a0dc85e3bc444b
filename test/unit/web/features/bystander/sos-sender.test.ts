import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../../web/src/lib/api-client.ts';
import { memoryStore } from '../../../../../web/src/lib/storage.ts';
import { SosSender, type SosRequest, type SosState } from '../../../../../web/src/features/bystander/sos-sender.ts';

const created = { incidentId: '00000000-0000-4000-8000-000000000009', publicToken: 'public-token-123', view: null as never };

function setup(answers: (() => Promise<typeof created>)[], gps: { lat: number; lng: number; accuracyM: number } | null = null) {
  const requests: SosRequest[] = [];
  const states: SosState[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const store = memoryStore();
  const make = () =>
    new SosSender({
      qrCode: 'abcd1234',
      store,
      gps: () => gps,
      onChange: (s) => states.push(s),
      send: (r) => {
        requests.push(r);
        const next = answers.shift();
        return next ? next() : Promise.reject(new ApiError(0, 'NETWORK', 'no answer scripted'));
      },
      now: () => 1_000,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
      random: () => 0.5,
    });
  return { sender: make(), make, requests, states, timers, store };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('SosSender', () => {
  it('retries a lost SOS with the same clientRequestId until it goes', async () => {
    const { sender, requests, states, timers } = setup([
      () => Promise.reject(new ApiError(0, 'NETWORK', 'offline')),
      () => Promise.reject(new ApiError(0, 'TIMEOUT', 'slow')),
      () => Promise.resolve(created),
    ]);
    sender.trigger();
    await flush();
    expect(states.at(-1)).toMatchObject({ phase: 'sending', attempt: 1, problem: 'network' });
    timers.shift()!.fn();
    await flush();
    expect(states.at(-1)).toMatchObject({ phase: 'sending', attempt: 2 });
    expect(timers[0]!.ms).toBeLessThanOrEqual(5_000);
    timers.shift()!.fn();
    await flush();
    expect(states.at(-1)).toMatchObject({ phase: 'sent', incidentId: created.incidentId });
    expect(new Set(requests.map((r) => r.clientRequestId)).size).toBe(1);
    expect(requests[0]!.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('waits as long as a 429 asks, and keeps trying', async () => {
    const { sender, states, timers } = setup([() => Promise.reject(new ApiError(429, 'RATE_LIMITED', 'slow down', [], 12))]);
    sender.trigger();
    await flush();
    expect(states.at(-1)).toMatchObject({ phase: 'sending', problem: 'rate-limited', retryAt: 13_000 });
    expect(timers[0]!.ms).toBe(12_000);
  });

  it('stops only for an unknown QR code', async () => {
    const { sender, states, timers } = setup([() => Promise.reject(new ApiError(404, 'NOT_FOUND', 'unknown'))]);
    sender.trigger();
    await flush();
    expect(states.at(-1)).toEqual({ phase: 'failed', code: 'NOT_FOUND' });
    expect(timers).toHaveLength(0);
  });

  it('sends the phone position when it has one', async () => {
    const { sender, requests } = setup([() => Promise.resolve(created)], { lat: 42.05, lng: -87.67, accuracyM: 12 });
    sender.trigger();
    await flush();
    expect(requests[0]!.gps).toEqual({ lat: 42.05, lng: -87.67, accuracyM: 12 });
  });

  it('after a reload, shows the SOS already sent, or resumes one still being sent with the same id', async () => {
    const sent = setup([() => Promise.resolve(created)]);
    sent.sender.trigger();
    await flush();
    const reloaded = sent.make();
    reloaded.restore();
    expect(reloaded.current).toMatchObject({ phase: 'sent', incidentId: created.incidentId, publicToken: created.publicToken });

    const pending = setup([() => Promise.reject(new ApiError(503, 'INTERNAL', 'down')), () => Promise.resolve(created)]);
    pending.sender.trigger();
    await flush();
    pending.sender.dispose();
    const again = pending.make();
    again.restore();
    await flush();
    expect(again.current.phase).toBe('sent');
    expect(pending.requests[1]!.clientRequestId).toBe(pending.requests[0]!.clientRequestId);
  });

  it('raises a new SOS with a new id after reset', async () => {
    const { sender, requests } = setup([() => Promise.resolve(created), () => Promise.resolve(created)]);
    sender.trigger();
    await flush();
    sender.reset();
    sender.trigger();
    await flush();
    expect(requests[1]!.clientRequestId).not.toBe(requests[0]!.clientRequestId);
  });
});
