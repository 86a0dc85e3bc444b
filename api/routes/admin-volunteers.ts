import { createRoute, z } from '@hono/zod-openapi';
import type { AdminVolunteerService } from '../services/admin-volunteers.ts';
import type { AuthService } from '../services/auth.ts';
import { adminErrors, errorBody, idParam, isoDate, json, requireAdmin, security } from './admin-common.ts';
import { createRouter } from './router.ts';

export const VolunteerSummarySchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    phone: z.string().nullable(),
    verification: z.enum(['pending', 'verified', 'rejected']),
    certificateType: z.string().nullable(),
    certificateNumber: z.string().nullable(),
    certificateIssuer: z.string().nullable(),
    certificateExpiresOn: z.string().nullable(),
    certificateState: z.enum(['none', 'valid', 'expiring', 'expired']),
    certificateDaysLeft: z.number().int().nullable(),
    dispatchable: z.boolean().openapi({ description: 'Alerts reach this volunteer today (verified and certified)' }),
    verifiedAt: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    appliedAt: z.string(),
  })
  .openapi('VolunteerSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/admin/volunteers',
  summary: 'Volunteer applications and accounts, pending first',
  security,
  request: {
    query: z.object({
      verification: z.enum(['pending', 'verified', 'rejected']).optional(),
      q: z.string().trim().max(100).optional().openapi({ description: 'Search e-mail, name or certificate number' }),
    }),
  },
  responses: { 200: { description: 'Volunteers', ...json(z.object({ volunteers: z.array(VolunteerSummarySchema) })) }, ...adminErrors },
});

const expiringRoute = createRoute({
  method: 'get',
  path: '/admin/volunteers/certificate-reminders',
  summary: 'Verified volunteers whose certificate expired (no longer alerted) or expires within N days',
  security,
  request: { query: z.object({ withinDays: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: {
    200: { description: 'Reminders', ...json(z.object({ expired: z.array(VolunteerSummarySchema), expiring: z.array(VolunteerSummarySchema) })) },
    ...adminErrors,
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/admin/volunteers/{id}/verify',
  summary: "Verify a volunteer's certificate (optionally recording its expiry date)",
  security,
  request: { params: idParam, body: { required: false, ...json(z.object({ certificateExpiresOn: isoDate.optional() })) } },
  responses: {
    200: { description: 'The verified volunteer', ...json(VolunteerSummarySchema) },
    ...adminErrors,
    404: errorBody('No such volunteer'),
    409: errorBody('The certificate has expired (CERTIFICATE_EXPIRED)'),
  },
});

const rejectRoute = createRoute({
  method: 'post',
  path: '/admin/volunteers/{id}/reject',
  summary: 'Reject an application, or withdraw a verification, with a reason',
  security,
  request: { params: idParam, body: { required: true, ...json(z.object({ reason: z.string().trim().min(1, 'give a reason').max(500) })) } },
  responses: {
    200: { description: 'The rejected volunteer', ...json(VolunteerSummarySchema) },
    ...adminErrors,
    404: errorBody('No such volunteer'),
  },
});

/** Admin-only volunteer vetting. */
export function adminVolunteerRoutes(deps: { auth: AuthService; adminVolunteers: AdminVolunteerService }) {
  const { adminVolunteers } = deps;
  const router = createRouter();
  router.use('/admin/volunteers/*', requireAdmin(deps.auth));
  return router
    .openapi(listRoute, async (c) => {
      const { verification, q } = c.req.valid('query');
      return c.json({ volunteers: await adminVolunteers.list({ verification, search: q || undefined }) }, 200);
    })
    .openapi(expiringRoute, async (c) => c.json(await adminVolunteers.expiryReminders(c.req.valid('query').withinDays), 200))
    .openapi(verifyRoute, async (c) => {
      const body = c.req.valid('json') ?? {};
      return c.json(await adminVolunteers.verify(c.req.valid('param').id, c.var.user.id, body), 200);
    })
    .openapi(rejectRoute, async (c) => {
      const { reason } = c.req.valid('json');
      return c.json(await adminVolunteers.reject(c.req.valid('param').id, c.var.user.id, reason), 200);
    });
}
