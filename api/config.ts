import { z } from 'zod';
import { ProxyTrust } from './proxy-trust.ts';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment schema. Every setting the API reads is here, parsed once at start-up. */
const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().default('0.0.0.0'),
    /** postgres://... to use a real PostgreSQL; unset means embedded PGlite in DATA_DIR. */
    DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    DATA_DIR: z.string().default('./data'),
    /** Connections to PostgreSQL for everything but the SOS path (admin, volunteers, positions). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Connections of the SOS path's own lane to PostgreSQL (see Database.urgent). */
    DATABASE_SOS_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(2),
    ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
    ADMIN_PASSWORD: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
    /** Base URL printed on QR codes and at start-up, e.g. https://aed.example.edu */
    PUBLIC_URL: optionalText.pipe(z.url().optional()),
    /** Folder of the campus geo-data loaded on first run. */
    CAMPUS_DIR: optionalText,
    /** Load the demo campus (geo-data) into an empty database. */
    SEED_DEMO: booleanFlag.default(true),
    /** Leaflet tile URL template; empty means vector layers only. */
    TILE_URL: z.string().default(''),
    /**
     * Reverse proxies in front of the API (addresses or CIDR ranges, comma-separated) whose
     * X-Forwarded-For names the client; empty means clients connect directly.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((e) => e.trim()).filter(Boolean))
      .superRefine((entries, ctx) => {
        try {
          new ProxyTrust(entries);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }),
    /** SOS rate limit per client and per QR spot: a burst, then this many a minute. */
    SOS_BURST: z.coerce.number().int().min(1).default(5),
    SOS_PER_MINUTE: z.coerce.number().positive().default(2),
    /** Seconds alerted volunteers have to accept before the search widens to a further wave. */
    ACCEPT_TIMEOUT_S: z.coerce.number().min(1).max(600).default(45),
    /** Failed sign-ins allowed per client: a burst, then this many a minute (brute-force guard). */
    LOGIN_FAILURE_BURST: z.coerce.number().int().min(1).default(10),
    LOGIN_FAILURES_PER_MINUTE: z.coerce.number().positive().default(5),
    REGISTER_BURST: z.coerce.number().int().min(1).default(10),
    REGISTER_PER_MINUTE: z.coerce.number().positive().default(5),
    TOKEN_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(24 * 7),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Web Push VAPID key pair (URL-safe base64); unset means a pair generated on first start and kept in app_settings. */
    VAPID_PUBLIC_KEY: optionalText,
    VAPID_PRIVATE_KEY: optionalText,
    /** Who the push services contact about this sender: a mailto: or https: URL. */
    VAPID_SUBJECT: optionalText.pipe(z.string().regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: URL').optional()),
  })
  .refine((e) => (e.ADMIN_EMAIL === undefined) === (e.ADMIN_PASSWORD === undefined), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .refine((e) => (e.VAPID_PUBLIC_KEY === undefined) === (e.VAPID_PRIVATE_KEY === undefined), {
    message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together',
    path: ['VAPID_PRIVATE_KEY'],
  });

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses the environment into a typed config.
 * @throws ConfigError listing every bad key, so an operator fixes them all at once.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}
