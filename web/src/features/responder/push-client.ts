import { api, requestInit, unwrap } from '../../lib/api-client.ts';

/**
 * Web Push on this device: the service worker (`/sw.js`, registered only from the volunteer app),
 * the push subscription, and the bearer token the worker uses to answer from a notification.
 */

/** How push stands on this device. */
export type PushStatus = 'unsupported' | 'off' | 'blocked' | 'working' | 'failed';

/** Where the worker finds the token (see web/public/sw.js). */
const DB_NAME = 'aed-push';
const STORE = 'kv';

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function idb<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = run(open.result.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    };
  });
}

/** Gives the worker the token, so accepting from a notification works with no page open. */
export const saveWorkerToken = (token: string) => idb('readwrite', (s) => s.put(token, 'token')).then(() => undefined);
/** Takes the token back (sign-out): the worker can no longer answer for this volunteer. */
export const clearWorkerToken = () => idb('readwrite', (s) => s.delete('token')).then(() => undefined);

/** Registers `/sw.js` (scope `/`) and waits until it is active. */
export async function registerWorker(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  return navigator.serviceWorker.ready;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function postSubscription(token: string, sub: PushSubscription): Promise<void> {
  const json = sub.toJSON();
  const keys = { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' };
  await unwrap(api.volunteer.push.subscriptions.$post({ json: { endpoint: sub.endpoint, keys } }, requestInit({ token })));
}

/**
 * Subscribes this device and stores it with the API. Call it only after the volunteer read why
 * (the explanation card) and tapped "allow": it is what makes the browser ask.
 * @returns the new status: 'working', 'blocked' when permission was refused
 * @throws ApiError or DOMException when the browser or the API failed
 */
export async function enablePush(token: string): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'blocked' : 'off';
  // First, so the worker can answer from a notification even if subscribing fails below.
  await saveWorkerToken(token);
  const reg = await registerWorker();
  const { publicKey } = await unwrap(api.push.key.$get({}, requestInit()));
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  await postSubscription(token, sub);
  return 'working';
}

/**
 * The status without asking anything. When permission is already granted and the device has a
 * subscription, it is re-sent (an upsert) and the worker's token refreshed.
 */
export async function checkPush(token: string): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  await saveWorkerToken(token);
  const reg = await registerWorker();
  const sub = await reg.pushManager.getSubscription();
  if (!sub) return 'off';
  await postSubscription(token, sub);
  return 'working';
}

/** Sign-out: forget this device at the API and take the worker's token back. */
export async function forgetDevice(token: string): Promise<void> {
  if (!pushSupported()) return;
  await clearWorkerToken();
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = await reg?.pushManager.getSubscription();
  if (sub) await unwrap(api.volunteer.push.subscriptions.$delete({ json: { endpoint: sub.endpoint } }, requestInit({ token })));
}

/** Asks the API to push a test alert to each of this volunteer's devices. */
export function sendTestAlert(token: string) {
  return unwrap(api.volunteer.push.test.$post({}, requestInit({ token })));
}

/** Closes this alert's notification (the page is showing the alert itself). */
export async function closeNotification(alertId: string): Promise<void> {
  if (!pushSupported()) return;
  const reg = await navigator.serviceWorker.getRegistration('/');
  for (const n of (await reg?.getNotifications({ tag: alertId })) ?? []) n.close();
}
