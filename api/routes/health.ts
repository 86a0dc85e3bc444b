import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../db/client.ts';
import { createRouter } from './router.ts';

const HealthSchema = z.object({ ok: z.boolean(), db: z.enum(['pglite', 'postgres']) }).openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and database reachability',
  responses: {
    200: { description: 'The API and its database answer', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'The database does not answer', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function healthRoutes(deps: { database: Database }) {
  return createRouter().openapi(route, async (c) => {
    const db = deps.database.kind;
    try {
      await deps.database.execute('select 1');
      return c.json({ ok: true, db }, 200);
    } catch {
      // Recovering: a failed probe *is* the answer here, not an error to report.
      return c.json({ ok: false, db }, 503);
    }
  });
}
