import { z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AuthService } from '../services/auth.ts';
import { requireUser } from './middleware/auth.ts';
import type { AppEnv } from './router.ts';
import { authErrorResponses, errorResponses, ErrorSchema } from './schemas.ts';

/** Shared pieces of the admin console's routers. */

export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
export const errorBody = (description: string) => ({ description, ...json(ErrorSchema) });
/** The error responses every admin route has: bad input, not signed in, not an admin. */
export const adminErrors = { ...errorResponses, ...authErrorResponses } as const;
export const security = [{ bearer: [] }];

export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const idParam = z.object({ id: z.uuid({ message: 'must be an id (UUID)' }).openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * The admin role, checked once per request: several admin routers may cover one path (middleware of
 * a sub-app mounted at '/' applies app-wide), and a user the first check let through is not looked
 * up again.
 */
export function requireAdmin(auth: AuthService) {
  const check = requireUser(auth, ['admin']);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.get('user')?.role === 'admin') return next();
    return check(c, next);
  });
}
