import { createDecipheriv, createECDH, createHmac, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A browser's side of a push subscription: the P-256 key pair and auth secret it gives the app server. */
export interface TestDevice {
  ecdh: ECDH;
  auth: Buffer;
  /** What the browser would POST to /api/volunteer/push/subscriptions. */
  subscription(endpoint: string): { endpoint: string; keys: { p256dh: string; auth: string } };
}

export function createTestDevice(): TestDevice {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: (endpoint) => ({ endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }),
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/**
 * Decrypts an `aes128gcm` Web Push body (RFC 8188 framing, RFC 8291 key derivation) with the device's
 * private key and auth secret. Throws when the body does not authenticate.
 */
export function decryptAes128gcm(body: Buffer, device: TestDevice): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idLen = body[20]!;
  const asPublic = body.subarray(21, 21 + idLen);
  const records = body.subarray(21 + idLen);
  if (records.length > rs) throw new Error('more than one record: not expected for a push message');
  const uaPublic = device.ecdh.getPublicKey();
  const ecdhSecret = device.ecdh.computeSecret(asPublic);
  const prkKey = hmac(device.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('missing last-record delimiter');
  return padded.subarray(0, end);
}

/** Checks a `vapid t=<jwt>, k=<key>` Authorization header (RFC 8292) and returns the JWT claims. */
export function verifyVapid(header: string | undefined, expectedPublicKey: string): { aud: string; exp: number; sub: string } {
  const match = header?.match(/^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/);
  if (!match) throw new Error(`not a VAPID authorization: ${header}`);
  const [, jwt, key] = match;
  if (key !== expectedPublicKey) throw new Error('VAPID key is not the served public key');
  const [head, claims, sig] = jwt!.split('.');
  const raw = Buffer.from(key!, 'base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') };
  const ok = verify('sha256', Buffer.from(`${head}.${claims}`), { key: jwk, format: 'jwk', dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'));
  if (!ok) throw new Error('VAPID signature does not verify');
  return JSON.parse(Buffer.from(claims!, 'base64url').toString());
}

export interface ReceivedPush {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  at: number;
}

/** How the receiver answers one endpoint: a status, optionally after a delay. */
export type Behaviour = { status: number; delayMs?: number };

/**
 * A push service on loopback: accepts `POST /push/<id>` and answers as told per id (201 by default).
 * Every request is recorded; `waitFor` resolves when a matching one has arrived.
 */
export async function startPushReceiver() {
  const received: ReceivedPush[] = [];
  const behaviours = new Map<string, Behaviour[]>();
  const waiters: { match: (p: ReceivedPush) => boolean; resolve: (p: ReceivedPush) => void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const push: ReceivedPush = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      received.push(push);
      for (const w of [...waiters]) if (w.match(push)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(push));
      const queue = behaviours.get(push.path);
      const b = (queue && queue.length > 1 ? queue.shift() : queue?.[0]) ?? { status: 201 };
      const answer = () => res.writeHead(b.status).end();
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Answers for `/push/<id>` in turn; the last one repeats. */
    behave(id: string, ...answers: Behaviour[]) {
      behaviours.set(`/push/${id}`, answers);
    },
    waitFor(match: (p: ReceivedPush) => boolean, timeoutMs = 5_000): Promise<ReceivedPush> {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching push in ${timeoutMs} ms; got ${received.map((r) => r.path).join(', ')}`)), timeoutMs);
        waiters.push({ match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
