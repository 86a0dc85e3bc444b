import { z } from '@hono/zod-openapi';
import { isIsoDate } from '../import/aed-tags.ts';
import { openingHoursProblem } from '../services/admin-aeds.ts';

/**
 * Request and response shapes of the AED registry. Every field is an OSM tag of
 * `emergency=defibrillator` (the column <-> tag mapping is api/import/aed-tags.ts); empty strings
 * clear a field.
 */

/** OSM `access` values an AED carries (wiki Key:access). */
export const ACCESS_VALUES = ['yes', 'public', 'permissive', 'customers', 'permit', 'destination', 'designated', 'private', 'no'] as const;

/** OSM `level`: numbers (halves for mezzanines, negatives for basements), several joined by ";". */
const LEVEL = /^-?\d{1,3}(\.\d)?(;-?\d{1,3}(\.\d)?)*$/;
/** NUL and lone surrogates cannot be stored in PostgreSQL text. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Optional text: trimmed, "" or null clears it. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !UNSTORABLE.test(v), 'holds a character that cannot be stored')
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

const date = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  .openapi({ format: 'date', example: '2026-05-31' });
const optionalDate = z.union([date, z.literal('').transform(() => null)]).nullable().optional();

const openingHours = z
  .string()
  .trim()
  .max(255)
  .superRefine((value, ctx) => {
    const problem = value === '' ? null : openingHoursProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `is not OSM opening_hours syntax: ${problem}` });
  })
  .transform((v) => (v === '' ? null : v))
  .nullable()
  .optional()
  .openapi({ example: 'Mo-Fr 08:00-18:00', description: 'OSM opening_hours syntax; empty means always available' });

/** The editable fields (all optional: a PATCH sends what changes). */
const fields = {
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  campusId: z.uuid().nullable().optional(),
  access: z.union([z.enum(ACCESS_VALUES), z.literal('').transform(() => null)]).nullable().optional(),
  indoor: z.boolean().nullable().optional(),
  level: z
    .string()
    .trim()
    .refine((v) => v === '' || LEVEL.test(v), 'must be an OSM level: 0 ground floor, -1 basement, 1.5, or several as 0;1')
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional(),
  openingHours,
  location: text(255).openapi({ description: 'defibrillator:location in the main language' }),
  locationZh: text(255).openapi({ description: 'defibrillator:location:zh' }),
  locationEn: text(255).openapi({ description: 'defibrillator:location:en' }),
  operator: text(200),
  phone: text(40).refine((v) => v == null || /^[+\d][\d\s()./-]{2,39}$/.test(v), 'must be a phone number'),
  description: text(1000),
  checkDate: optionalDate,
  padExpiresOn: optionalDate,
  batteryExpiresOn: optionalDate,
};

export const AedCreateSchema = z
  .object({
    ...fields,
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    ref: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, 'must be 1-64 letters, digits or . _ : / -')
      .optional()
      .openapi({ description: "The registry's own key (OSM `ref`); generated when omitted" }),
  })
  .refine((v) => !(v.lat === 0 && v.lng === 0), { message: '[0, 0] is a placeholder, not a place', path: ['lat'] })
  .refine((v) => Boolean(v.location || v.locationZh || v.locationEn), { message: 'say where the AED hangs (in Chinese, English or both)', path: ['locationZh'] })
  .openapi('AedCreate');

export const AedPatchSchema = z
  .object({ ...fields, status: z.enum(['in_service', 'out_of_service']).optional() })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), { message: 'send lat and lng together', path: ['lng'] })
  .openapi('AedPatch');

export const ReturnToServiceSchema = z
  .object({
    padExpiresOn: date.openapi({ description: 'Expiry date of the new pads' }),
    batteryExpiresOn: date.optional().openapi({ description: 'Expiry date of a new battery, when it was replaced' }),
  })
  .openapi('AedReturnToService');

export const AdminAedSchema = z
  .object({
    id: z.uuid(),
    campusId: z.string().nullable(),
    osmId: z.string().nullable(),
    externalRef: z.string().nullable(),
    source: z.string(),
    lat: z.number(),
    lng: z.number(),
    h3Cell: z.string(),
    access: z.string().nullable(),
    indoor: z.boolean().nullable(),
    level: z.string().nullable(),
    openingHours: z.string().nullable(),
    location: z.string().nullable(),
    locationZh: z.string().nullable(),
    locationEn: z.string().nullable(),
    locationTranslations: z.record(z.string(), z.string()),
    operator: z.string().nullable(),
    phone: z.string().nullable(),
    checkDate: z.string().nullable(),
    description: z.string().nullable(),
    status: z.enum(['in_service', 'in_use', 'out_of_service', 'retired']),
    padExpiresOn: z.string().nullable(),
    batteryExpiresOn: z.string().nullable(),
    claimedByIncidentId: z.string().nullable(),
    isDemo: z.boolean(),
    tags: z.record(z.string(), z.string()).openapi({ description: 'Every OSM tag, as exported' }),
    updatedAt: z.string(),
    usableNow: z.boolean(),
    unusableReasons: z.array(z.string()).openapi({ description: 'status, claimed, closed, closing (planning only), hours_unknown, bad_opening_hours, no_access, pads_expired, battery_expired' }),
    padDaysLeft: z.number().int().nullable(),
    batteryDaysLeft: z.number().int().nullable(),
  })
  .openapi('AdminAed');
