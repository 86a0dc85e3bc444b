import { createRoute, z } from '@hono/zod-openapi';
import type { AuthService } from '../services/auth.ts';
import type { VolunteerService } from '../services/volunteers.ts';
import { requireUser } from './middleware/auth.ts';
import { createRouter } from './router.ts';
import { authErrorResponses, ErrorSchema, errorResponses, latitude, longitude } from './schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const DutySchema = z
  .object({
    onDuty: z.boolean(),
    dutySince: z.string().nullable(),
    position: z.object({ lat: z.number(), lng: z.number(), at: z.string().nullable() }).nullable(),
  })
  .openapi('Duty');

const getDuty = createRoute({
  method: 'get',
  path: '/volunteer/duty',
  summary: "The volunteer's duty state and last position",
  security: [{ bearer: [] }],
  responses: { 200: { description: 'Duty', ...json(DutySchema) }, ...authErrorResponses },
});

const setDuty = createRoute({
  method: 'put',
  path: '/volunteer/duty',
  summary: 'Go on or off duty (off duty deletes the stored position)',
  security: [{ bearer: [] }],
  request: { body: { required: true, ...json(z.object({ onDuty: z.boolean() })) } },
  responses: { 200: { description: 'Duty', ...json(DutySchema) }, ...errorResponses, ...authErrorResponses },
});

const postPosition = createRoute({
  method: 'post',
  path: '/volunteer/position',
  summary: 'Share a position over HTTP (the WebSocket `position` message is the usual way)',
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      ...json(z.object({ lat: latitude, lng: longitude, accuracyM: z.number().min(0).max(100_000).optional(), level: z.number().int().min(-10).max(200).nullable().optional() })),
    },
  },
  responses: {
    200: { description: 'Taken', ...json(z.object({ ok: z.literal(true) })) },
    ...errorResponses,
    ...authErrorResponses,
    409: { description: 'Not on duty', ...json(ErrorSchema) },
  },
});

export function volunteerRoutes(deps: { auth: AuthService; volunteerService: VolunteerService }) {
  const { auth, volunteerService } = deps;
  const router = createRouter();
  // Any volunteer may see and set duty; only verified ones are ever planned (see services/auth isDispatchable).
  router.use('/volunteer/*', requireUser(auth, ['volunteer']));
  return router
    .openapi(getDuty, async (c) => c.json(await volunteerService.status(c.var.user.id), 200))
    .openapi(setDuty, async (c) => {
      await volunteerService.setDuty(c.var.user.id, c.req.valid('json').onDuty);
      return c.json(await volunteerService.status(c.var.user.id), 200);
    })
    .openapi(postPosition, async (c) => {
      await volunteerService.updatePosition(c.var.user.id, c.req.valid('json'));
      return c.json({ ok: true as const }, 200);
    });
}
