import { z } from '@hono/zod-openapi';

/** The single error body every 4xx/5xx has. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const authErrorResponses = {
  401: { description: 'Not signed in, or the token expired', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Signed in without the needed role', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const latitude = z.coerce.number().min(-90).max(90);
export const longitude = z.coerce.number().min(-180).max(180);
