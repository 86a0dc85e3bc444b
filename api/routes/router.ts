import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../errors.ts';
import type { AuthUser } from '../services/auth.ts';

export interface AppEnv {
  /** `clientKey`: the client's address behind any trusted proxy (middleware/client-key.ts). */
  Variables: { user: AuthUser; clientKey?: string };
}

/**
 * A sub-app whose zod validation failures become ValidationError, so every bad input reaches
 * app.onError and gets the same `{ error: { code, message, issues } }` body.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new ValidationError(first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input', issues);
      }
    },
  });
}
