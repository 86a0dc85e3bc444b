import { createRoute, z } from '@hono/zod-openapi';
import type { AuthService } from '../services/auth.ts';
import type { DrillService } from '../services/drill.ts';
import { QR_CODE_ALPHABET, QR_CODE_LENGTH } from '../import/qr-spots.ts';
import { adminErrors, errorBody, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

const StartDrillSchema = z.object({
  qrCode: z
    .string()
    .regex(new RegExp(`^[${QR_CODE_ALPHABET}]{${QR_CODE_LENGTH}}$`), 'must be a QR spot code')
    .optional()
    .openapi({ description: 'Where the simulated SOS is raised; default the first active spot of the first campus' }),
  volunteers: z.number().int().min(1).max(12).optional().openapi({ description: 'Simulated volunteers placed near the spot (default 6)' }),
});

const DrillStartedSchema = z
  .object({
    incidentId: z.uuid(),
    publicToken: z.string().openapi({ description: "Opens the drill's bystander view, like the token an SOS returns" }),
    qrCode: z.string(),
  })
  .openapi('AdminDrillStarted');

const startRoute = createRoute({
  method: 'post',
  path: '/admin/drills',
  summary: 'Run a drill: one simulated incident (marked as a drill) answered by simulated volunteers',
  security,
  request: { body: { required: false, ...json(StartDrillSchema) } },
  responses: {
    201: { description: 'The drill is running', ...json(DrillStartedSchema) },
    ...adminErrors,
    404: errorBody('No such QR spot, or no walkways to place volunteers on (UNKNOWN_QR_CODE, NOT_FOUND)'),
    409: errorBody("A person's account holds a drill volunteer's address (DRILL_ACCOUNT_TAKEN)"),
    429: errorBody('A drill is already running (RATE_LIMITED)'),
  },
});

/** Admin-only drills. */
export function adminDrillRoutes(deps: { auth: AuthService; drills: Pick<DrillService, 'start'> }) {
  const router = createRouter();
  router.use('/admin/drills', requireAdmin(deps.auth));
  router.use('/admin/drills/*', requireAdmin(deps.auth));
  return router.openapi(startRoute, async (c) => {
    const { incidentId, publicToken, qrCode } = await deps.drills.start(c.req.valid('json'));
    return c.json({ incidentId, publicToken, qrCode }, 201);
  });
}
