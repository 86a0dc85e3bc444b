import webpush from 'web-push';
import type { Config } from '../config.ts';
import type { OutboxEvent } from '../db/outbox-repository.ts';
import type { NewPushSubscription, PushRepository, PushSubscriptionRecord } from '../db/push-repository.ts';
import { floorWords } from '../domain/floor-words.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';

/** A VAPID key pair (URL-safe base64) and the contact the push services see. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** What a push service answered; `status` 0 means no answer (network error or timeout). */
export interface PushResponse {
  status: number;
  /** Seconds from a 429/503 `Retry-After`, if any. */
  retryAfterS?: number;
  /** Why there was no answer. */
  cause?: unknown;
}

/** Sends one encrypted push message; swapped in tests. */
export type PushSender = (subscription: PushSubscriptionRecord, payload: string, vapid: VapidKeys) => Promise<PushResponse>;

/** The push message the service worker receives (kept under 3 KB: push services cap payloads at ~4 KB). */
export interface PushAlert {
  /** `<incidentId>:<dispatchId>`: the same alert over the WebSocket and push has the same id. */
  alertId: string;
  type: 'alert' | 'assignment' | 'test';
  incidentId: string | null;
  role: string | null;
  /**
   * Where the patient is: building · floor · entrance, a line in Chinese and one in English under it
   * (one line when they read the same), like the rest of the notification (sw.js).
   */
  patient: string;
  isDrill: boolean;
  url: string;
}

export interface PushOptions {
  /** Waits before each retry; one retry per entry. */
  retryDelaysMs: readonly number[];
  /** Give up on one request after this long (then retry). */
  requestTimeoutMs: number;
  /** Seconds a push service keeps an undelivered alert: an old alert is worse than none. */
  ttlS: number;
}

const DEFAULTS: PushOptions = { retryDelaysMs: [1_000, 5_000, 15_000], requestTimeoutMs: 10_000, ttlS: 60 };
const PUSHED_TYPES = new Set(['alert', 'assignment']);
/** Alerts in a row that failed after every retry before a device is no longer sent to. */
const MAX_FAILURES = 5;
const DEFAULT_SUBJECT = 'mailto:aed-admin@example.invalid';

export interface PushDeps {
  subscriptions: PushRepository;
  vapid: VapidKeys;
  clock: Clock;
  logger: Logger;
  send?: PushSender;
  options?: Partial<PushOptions>;
}

export interface DeviceResult {
  subscriptionId: string;
  userAgent: string | null;
  ok: boolean;
  status: number;
  /** The push service said the subscription is gone; it was removed. */
  removed: boolean;
}

/**
 * The VAPID keys: from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY when set, else generated on first start and
 * kept in app_settings so every API process (and every restart) signs with the same pair.
 */
export async function loadVapidKeys(
  config: Pick<Config, 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'VAPID_SUBJECT' | 'PUBLIC_URL'>,
  settings: { getOrCreate<T>(key: string, create: () => T): Promise<T> },
): Promise<VapidKeys> {
  const subject = config.VAPID_SUBJECT ?? (config.PUBLIC_URL?.startsWith('https://') ? config.PUBLIC_URL : DEFAULT_SUBJECT);
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject };
  }
  const keys = await settings.getOrCreate('vapid_keys', () => webpush.generateVAPIDKeys());
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, subject };
}

/** Encrypts (aes128gcm, RFC 8291), signs (VAPID, RFC 8292) with `web-push`, and POSTs with fetch. */
export function httpPushSender(options: { ttlS: number; timeoutMs: number }): PushSender {
  return async (s, payload, vapid) => {
    const request = webpush.generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
      vapidDetails: vapid,
      TTL: options.ttlS,
      urgency: 'high',
      contentEncoding: 'aes128gcm',
    });
    // fetch sets Content-Length itself.
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== 'content-length').map(([k, v]) => [k, String(v)]));
    try {
      const res = await fetch(request.endpoint, { method: 'POST', headers, body: new Uint8Array(request.body), signal: AbortSignal.timeout(options.timeoutMs) });
      await res.arrayBuffer();
      const retryAfter = Number(res.headers.get('retry-after'));
      return { status: res.status, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}) };
    } catch (err) {
      // No answer (refused, reset, timed out): status 0 tells the caller to retry.
      return { status: 0, cause: err };
    }
  };
}

/** The small push message for one outbox event, or null when the event is not pushed. */
export function pushAlertOf(event: OutboxEvent): PushAlert | null {
  if (!PUSHED_TYPES.has(event.type) || !event.recipient.startsWith('user:')) return null;
  const p = (event.payload ?? {}) as { incidentId?: string; dispatchId?: string; role?: string; isDrill?: boolean; patient?: Record<string, unknown> };
  const incidentId = p.incidentId ?? event.incidentId;
  if (!incidentId) return null;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const building = text(p.patient?.buildingName);
  const floor = floorWords(text(p.patient?.floor));
  const [entrance, entranceZh] = [text(p.patient?.entrance), text(p.patient?.entranceZh)];
  const line = (floorText: string | undefined, entranceText: string | null) => [building, floorText, entranceText].filter(Boolean).join(' · ').slice(0, 150);
  const zh = line(floor?.zh, entranceZh ?? entrance);
  const en = line(floor?.en, entrance ?? entranceZh);
  return {
    alertId: `${incidentId}:${p.dispatchId ?? event.seq}`,
    type: event.type as 'alert' | 'assignment',
    incidentId,
    role: p.role ?? null,
    patient: zh === en ? en : `${zh}\n${en}`,
    isDrill: !!p.isDrill,
    url: `/responder?incident=${encodeURIComponent(incidentId)}`,
  };
}

/**
 * Web Push beside the WebSocket: every `alert`/`assignment` for a volunteer also goes to each of their
 * devices' push service, in parallel, retried with backoff on the injected clock. 404/410 removes the
 * subscription. `notify` never waits for a push service, so it never delays the WebSocket alert.
 */
export function createPushService(deps: PushDeps) {
  const { subscriptions, vapid, clock, logger } = deps;
  const options = { ...DEFAULTS, ...deps.options };
  const send = deps.send ?? httpPushSender({ ttlS: options.ttlS, timeoutMs: options.requestTimeoutMs });
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Set<{ cancel(): void }>();
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  /** One attempt; returns the outcome, after updating or removing the subscription. */
  async function attempt(s: PushSubscriptionRecord, body: string): Promise<{ result: DeviceResult; retry: boolean; retryAfterS?: number }> {
    const res = await send(s, body, vapid);
    const result: DeviceResult = { subscriptionId: s.id, userAgent: s.userAgent, ok: res.status >= 200 && res.status < 300, status: res.status, removed: false };
    if (result.ok) {
      await subscriptions.recordSuccess(s.id, clock.now());
      return { result, retry: false };
    }
    if (res.status === 404 || res.status === 410) {
      await subscriptions.deleteById(s.id);
      logger.info('push subscription gone, removed', { subscriptionId: s.id, status: res.status });
      return { result: { ...result, removed: true }, retry: false };
    }
    // Network errors, timeouts, 429 and 5xx may pass; other 4xx (bad VAPID, payload too large) will not.
    return { result, retry: res.status === 0 || res.status === 429 || res.status >= 500, retryAfterS: res.retryAfterS };
  }

  function deliver(s: PushSubscriptionRecord, body: string, tryNo = 0): void {
    if (stopped) return;
    const run = attempt(s, body).then(async ({ result, retry, retryAfterS }) => {
      if (result.ok || result.removed) return;
      const delayMs = options.retryDelaysMs[tryNo];
      if (retry && delayMs !== undefined && !stopped) {
        const waitMs = Math.min(60_000, Math.max(delayMs, (retryAfterS ?? 0) * 1000));
        const timer = clock.setTimeout(() => {
          timers.delete(timer);
          deliver(s, body, tryNo + 1);
        }, waitMs);
        timers.add(timer);
        return;
      }
      const failures = await subscriptions.recordFailure(s.id);
      logger.warn('push delivery failed', { subscriptionId: s.id, status: result.status, attempts: tryNo + 1, failures });
      if (failures >= MAX_FAILURES) await subscriptions.deactivate(s.id);
    });
    track(
      run.catch((err: unknown) => {
        // The database failed while recording the outcome: nothing to retry against, so log it.
        logger.error('push bookkeeping failed', { subscriptionId: s.id, error: String(err) });
      }),
    );
  }

  async function fanOut(events: readonly OutboxEvent[]): Promise<void> {
    const messages = events.flatMap((e) => {
      const alert = pushAlertOf(e);
      return alert ? [{ userId: e.recipient.slice('user:'.length), body: JSON.stringify(alert) }] : [];
    });
    if (messages.length === 0) return;
    const subs = await subscriptions.activeForUsers([...new Set(messages.map((m) => m.userId))]);
    for (const m of messages) for (const s of subs) if (s.userId === m.userId) deliver(s, m.body);
  }

  return {
    publicKey: vapid.publicKey,

    /** Stores a device's subscription for this volunteer (the endpoint moves to them if another had it). */
    subscribe: (userId: string, s: NewPushSubscription) => subscriptions.upsert(userId, s),

    /** Forgets one of this volunteer's devices. @throws NotFoundError when it is not theirs. */
    async unsubscribe(userId: string, endpoint: string): Promise<void> {
      if (!(await subscriptions.deleteForUser(userId, endpoint))) throw new NotFoundError('This device has no push subscription for you');
    },

    /** Pushes the events' alerts to their volunteers' devices. Returns at once; never rejects. */
    notify(events: readonly OutboxEvent[]): void {
      if (stopped) return;
      track(
        fanOut(events).catch((err: unknown) => {
          logger.error('push fan-out failed', { error: String(err) });
        }),
      );
    },

    /** One test push to each of this volunteer's devices, no retries; the per-device answers. */
    async sendTest(userId: string): Promise<DeviceResult[]> {
      const subs = await subscriptions.activeForUsers([userId]);
      const body: PushAlert = { alertId: `test:${clock.now().getTime()}`, type: 'test', incidentId: null, role: null, patient: '', isDrill: true, url: '/responder' };
      return Promise.all(subs.map(async (s) => (await attempt(s, JSON.stringify(body))).result));
    },

    /** Resolves when every push started so far has finished (retries scheduled later are not awaited). */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    /** Cancels scheduled retries and waits for requests in flight. */
    async stop(): Promise<void> {
      stopped = true;
      for (const t of timers) t.cancel();
      timers.clear();
      await this.idle();
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
