import { createRoute, z } from '@hono/zod-openapi';
import { UnauthorizedError } from '../errors.ts';
import type { AuthService } from '../services/auth.ts';
import { bearerToken, requireUser } from './middleware/auth.ts';
import { clientKey } from './middleware/client-key.ts';
import { createRouter } from './router.ts';
import { authErrorResponses, errorResponses, ErrorSchema } from './schemas.ts';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be an e-mail address' }));
/** A new account's address: never under `.invalid` (RFC 6761), which names the drill's simulated volunteers. */
const newEmail = email.refine((e) => !e.endsWith('.invalid'), 'must be an address that can receive mail');
const password = z.string().min(8, 'must be at least 8 characters').max(200);
const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(['volunteer', 'admin']),
    displayName: z.string(),
    verification: z.enum(['pending', 'verified', 'rejected']),
    certificateExpiresOn: z.string().nullable(),
  })
  .openapi('User');

const SessionSchema = z
  .object({ token: z.string(), expiresAt: z.string().openapi({ format: 'date-time' }), user: UserSchema })
  .openapi('Session');

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  summary: 'Sign in with e-mail and password',
  request: { body: { required: true, ...json(z.object({ email, password: z.string().min(1).max(200) })) } },
  responses: {
    200: { description: 'A bearer token', ...json(SessionSchema) },
    ...errorResponses,
    401: { description: 'Wrong e-mail or password', ...json(ErrorSchema) },
    429: { description: 'Too many failed sign-ins from this client; see Retry-After', ...json(ErrorSchema) },
  },
});

const register = createRoute({
  method: 'post',
  path: '/auth/register',
  summary: 'Apply as a volunteer responder (an admin verifies the certificate)',
  request: {
    body: {
      required: true,
      ...json(
        z.object({
          email: newEmail,
          password,
          displayName: z.string().trim().min(1).max(100),
          phone: z.string().trim().max(40).optional(),
          certificateType: z.string().trim().max(100).optional(),
          certificateNumber: z.string().trim().max(100).optional(),
          certificateIssuer: z.string().trim().max(200).optional(),
          certificateExpiresOn: isoDate.optional(),
        }),
      ),
    },
  },
  responses: {
    201: { description: 'The new account, pending verification, signed in', ...json(SessionSchema) },
    ...errorResponses,
    409: { description: 'The e-mail is taken', ...json(ErrorSchema) },
  },
});

const me = createRoute({
  method: 'get',
  path: '/auth/me',
  summary: 'The signed-in user',
  responses: { 200: { description: 'The user', ...json(UserSchema) }, ...authErrorResponses },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  summary: 'Revoke the bearer token',
  responses: { 200: { description: 'Revoked', ...json(z.object({ ok: z.literal(true) })) }, ...authErrorResponses },
});

export function authRoutes(deps: { auth: AuthService }) {
  const { auth } = deps;
  const router = createRouter();
  router.use('/auth/me', requireUser(auth, ['volunteer', 'admin']));
  return router
    .openapi(login, async (c) => {
      const { email: e, password: p } = c.req.valid('json');
      const s = await auth.login(e, p, clientKey(c));
      return c.json({ token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user }, 200);
    })
    .openapi(register, async (c) => {
      const s = await auth.registerVolunteer(c.req.valid('json'), clientKey(c));
      return c.json({ token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user }, 201);
    })
    .openapi(me, (c) => c.json(c.var.user, 200))
    .openapi(logout, async (c) => {
      const token = bearerToken(c.req.header('authorization'));
      if (!token) throw new UnauthorizedError();
      await auth.logout(token);
      return c.json({ ok: true as const }, 200);
    });
}
