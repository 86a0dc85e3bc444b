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

/** An AED near a point: where exactly it is, how far on foot, and whether it can be used now. */
export const NearestAedSchema = z
  .object({
    id: z.string(),
    lat: z.number(),
    lng: z.number(),
    distanceM: z.number().openapi({ description: 'Straight-line distance in metres' }),
    walkTimeS: z.number().openapi({ description: 'Walking time on the campus paths in whole seconds, floors included' }),
    usableNow: z.boolean(),
    closesBeforeArrival: z.boolean().openapi({ description: 'Usable now, but its opening hours close it before someone walking from the point gets there' }),
    level: z.string().nullable(),
    indoor: z.boolean().nullable(),
    location: z.string().nullable(),
    locationZh: z.string().nullable(),
    locationEn: z.string().nullable(),
    openingHours: z.string().nullable(),
    building: z
      .object({ name: z.string(), nameZh: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The campus building the AED is in or on (within 20 m of its outline), if any' }),
    hoursNow: z
      .object({
        open: z.boolean(),
        next: z
          .object({
            time: z.string().openapi({ example: '22:00', description: "The campus's wall-clock time, HH:MM" }),
            inDays: z.number().int().openapi({ description: '0 today, 1 tomorrow, ... on the campus calendar' }),
          })
          .nullable()
          .openapi({ description: 'When it next closes (open) or opens (closed); null: not within a week' }),
      })
      .nullable()
      .openapi({ description: 'Open now by its opening hours, and until or from when; null when it has none that can be read now (see openingHours)' }),
  })
  .openapi('NearestAed');
