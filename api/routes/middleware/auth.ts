import { createMiddleware } from 'hono/factory';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import { NOT_VERIFIED_MESSAGE, type AuthService, type Role } from '../../services/auth.ts';
import type { AppEnv } from '../router.ts';

/** Reads `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+([A-Za-z0-9_-]{16,128})$/);
  return match?.[1];
}

/**
 * Requires a signed-in user with one of `roles`, and for volunteers a verified account when
 * `verified` is set. Sets `c.var.user`.
 */
export function requireUser(auth: AuthService, roles: readonly Role[], options: { verified?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw new UnauthorizedError('Send your token as "Authorization: Bearer <token>"');
    const user = await auth.authenticate(token);
    auth.requireRole(user, roles);
    if (options.verified && user.role === 'volunteer' && user.verification !== 'verified') {
      throw new ForbiddenError(NOT_VERIFIED_MESSAGE);
    }
    c.set('user', user);
    await next();
  });
}
