/* The volunteer app's service worker (scope `/`): Web Push alerts for a phone in a pocket.
 *
 * - `push`: shows a loud, persistent notification (vibration, require-interaction, accept/decline
 *   actions), tagged with the alert id so the same alert over push twice replaces, never stacks; and
 *   tells open volunteer pages (postMessage `push-alert`), which drop it if the WebSocket came first.
 * - `notificationclick`: accept/decline POST /api/incidents/:id/respond with the volunteer's bearer
 *   token, then open or focus /responder?incident=<id>; a tap on the body only opens it.
 *   The token: the page writes it to IndexedDB (`aed-push` / `kv` / `token`) when it subscribes and
 *   deletes it on sign-out; a worker cannot read localStorage, and an open page may not exist.
 *
 * No `fetch` handler on purpose: the worker never stands between the bystander page and the network.
 */
const DB_NAME = 'aed-push';
const STORE = 'kv';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function readToken() {
  return new Promise((resolve) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      const get = open.result.transaction(STORE, 'readonly').objectStore(STORE).get('token');
      get.onsuccess = () => resolve(typeof get.result === 'string' ? get.result : null);
      get.onerror = () => resolve(null);
    };
  });
}

function parse(event) {
  if (!event.data) return null;
  try {
    return event.data.json();
  } catch (err) {
    return { alertId: `raw:${Date.now()}`, type: 'test', incidentId: null, patient: event.data.text(), url: '/responder', error: String(err) };
  }
}

const ROLE = { cpr: '心肺复苏 CPR', aed: '取 AED Fetch the AED', backup: '支援 Backup' };

self.addEventListener('push', (event) => {
  const alert = parse(event);
  if (!alert) return;
  const isTest = alert.type === 'test';
  const title = isTest ? '测试警报 Test alert' : `${alert.isDrill ? '演练 DRILL · ' : ''}🚨 心脏骤停求救 Cardiac arrest SOS`;
  const body = isTest
    ? '推送在这台设备上可用。Push works on this device.'
    : [alert.role ? ROLE[alert.role] || alert.role : '', alert.patient].filter(Boolean).join('\n');
  const options = {
    body,
    tag: alert.alertId,
    renotify: true,
    requireInteraction: !isTest,
    vibrate: [500, 200, 500, 200, 1000],
    icon: '/icon-192.png',
    badge: '/icon-192.png',
    timestamp: Date.now(),
    actions: isTest || alert.type !== 'alert' ? [] : [
      { action: 'accept', title: '接受 Accept' },
      { action: 'decline', title: '拒绝 Decline' },
    ],
    data: { alertId: alert.alertId, incidentId: alert.incidentId, url: alert.url || '/responder' },
  };
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(title, options),
      self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
        for (const c of clients) c.postMessage({ type: 'push-alert', alert });
      }),
    ]),
  );
});

async function respond(incidentId, action) {
  const token = await readToken();
  if (!token) return { ok: false, status: 401 };
  const res = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/respond`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ action }),
  });
  // The dispatch after the answer, for open pages to apply (the API sends the answerer no event).
  return { ok: res.ok, status: res.status, dispatch: res.ok ? await res.json() : null };
}

/**
 * Opens /responder?incident=<id>, or brings an open volunteer page forward. Browsers allow focus and
 * openWindow only during a real click on the notification; when they refuse (InvalidAccessError),
 * the answer has already gone to the API and the page learns it from the `push-answer` message.
 */
async function openApp(url) {
  const target = new URL(url, self.location.origin).href;
  const clients = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = clients.find((c) => new URL(c.url).pathname === '/responder');
  try {
    if (!open) return await self.clients.openWindow(target);
    return await open.focus();
  } catch (err) {
    if (err && err.name === 'InvalidAccessError') return null;
    throw err;
  }
}

self.addEventListener('notificationclick', (event) => {
  const { incidentId, url } = event.notification.data || {};
  event.notification.close();
  const action = event.action === 'accept' || event.action === 'decline' ? event.action : null;
  event.waitUntil(
    (async () => {
      let answer = null;
      if (action && incidentId) {
        // A failed answer still opens the app, where the volunteer can answer again.
        answer = await respond(incidentId, action).catch((err) => ({ ok: false, status: 0, error: String(err) }));
      }
      const clients = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const c of clients) c.postMessage({ type: 'push-answer', incidentId, action, answer });
      if (action === 'decline' && answer && answer.ok) return;
      await openApp(url || '/responder');
    })(),
  );
});
