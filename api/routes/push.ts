import { createRoute, z } from '@hono/zod-openapi';
import type { AuthService } from '../services/auth.ts';
import type { PushService } from '../services/push.ts';
import { requireUser } from './middleware/auth.ts';
import { createRouter } from './router.ts';
import { authErrorResponses, ErrorSchema, errorResponses } from './schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const base64url = (min: number, max: number) => z.string().min(min).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be URL-safe base64');

const SubscriptionSchema = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2048),
    // An uncompressed P-256 point is 65 bytes (87 characters); the auth secret 16 bytes (22).
    keys: z.object({ p256dh: base64url(80, 100), auth: base64url(16, 32) }),
  })
  .openapi('PushSubscription');

const DeviceResultSchema = z.object({ subscriptionId: z.uuid(), userAgent: z.string().nullable(), ok: z.boolean(), status: z.number().int(), removed: z.boolean() });

const getKey = createRoute({
  method: 'get',
  path: '/push/key',
  summary: "The server's VAPID public key, for PushManager.subscribe({ applicationServerKey })",
  responses: { 200: { description: 'The key (URL-safe base64)', ...json(z.object({ publicKey: z.string() })) } },
});

const subscribe = createRoute({
  method: 'post',
  path: '/volunteer/push/subscriptions',
  summary: "Store this device's push subscription for the signed-in volunteer (upsert by endpoint)",
  security: [{ bearer: [] }],
  request: { body: { required: true, ...json(SubscriptionSchema) } },
  responses: { 200: { description: 'Stored', ...json(z.object({ id: z.uuid() })) }, ...errorResponses, ...authErrorResponses },
});

const unsubscribe = createRoute({
  method: 'delete',
  path: '/volunteer/push/subscriptions',
  summary: "Forget one of this volunteer's devices",
  security: [{ bearer: [] }],
  request: { body: { required: true, ...json(z.object({ endpoint: z.string().min(1).max(2048) })) } },
  responses: {
    200: { description: 'Removed', ...json(z.object({ ok: z.literal(true) })) },
    ...errorResponses,
    ...authErrorResponses,
    404: { description: 'No such subscription for this volunteer', ...json(ErrorSchema) },
  },
});

const sendTest = createRoute({
  method: 'post',
  path: '/volunteer/push/test',
  summary: "Send a test alert to each of this volunteer's devices; one result per device",
  security: [{ bearer: [] }],
  responses: { 200: { description: 'Per-device results', ...json(z.object({ devices: z.array(DeviceResultSchema) })) }, ...authErrorResponses },
});

/** Web Push: the public key, a volunteer's device subscriptions, and a test alert. */
export function pushRoutes(deps: { auth: AuthService; push: Pick<PushService, 'publicKey' | 'subscribe' | 'unsubscribe' | 'sendTest'> }) {
  const { auth, push } = deps;
  const router = createRouter();
  router.use('/volunteer/push/*', requireUser(auth, ['volunteer']));
  return router
    .openapi(getKey, (c) => c.json({ publicKey: push.publicKey }, 200))
    .openapi(subscribe, async (c) => {
      const { endpoint, keys } = c.req.valid('json');
      const userAgent = c.req.header('user-agent')?.slice(0, 300) ?? null;
      const row = await push.subscribe(c.var.user.id, { endpoint, p256dh: keys.p256dh, auth: keys.auth, userAgent });
      return c.json({ id: row.id }, 200);
    })
    .openapi(unsubscribe, async (c) => {
      await push.unsubscribe(c.var.user.id, c.req.valid('json').endpoint);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(sendTest, async (c) => c.json({ devices: await push.sendTest(c.var.user.id) }, 200));
}
