import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import { ValidationError, type IssueRule, type ValidationIssue } from '../errors.ts';
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
        const issues = result.error.issues.map(issueOf);
        const first = issues[0];
        throw new ValidationError(first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input', issues);
      }
    },
  });
}

/** A zod issue as the API reports it, with the rule it broke for wording it in Chinese (error-text-zh.ts). */
function issueOf(issue: z.core.$ZodIssue): ValidationIssue {
  const { path, message, ...rest } = issue;
  const rule: IssueRule = { ...(rest as IssueRule) };
  // zod says a field is missing only in its English message ("expected string, received undefined").
  if (issue.code === 'invalid_type' && rule.received === undefined && message.endsWith('received undefined')) rule.received = 'undefined';
  return { path: path.join('.'), message, rule };
}
