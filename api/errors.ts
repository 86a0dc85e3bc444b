/**
 * Errors of the API. Everything below routes/ throws a typed error with a literal `code`;
 * `httpStatusOf` is the one table that turns codes into HTTP statuses, and app.onError the one
 * place that builds an error response.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions & { details?: unknown },
  ) {
    super(message, options);
    this.details = options?.details;
  }
  readonly details?: unknown;
}

export interface ValidationIssue {
  path: string;
  message: string;
  /** The schema rule the input broke, to word the issue in the client's language (not sent). */
  rule?: IssueRule;
}

/** A zod issue's code and bounds: `received: 'undefined'` when the field is missing. */
export interface IssueRule {
  code: string;
  origin?: string;
  expected?: string;
  received?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  divisor?: number | bigint;
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super('VALIDATION_FAILED', message);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(message = 'Not found') {
    super('NOT_FOUND', message);
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  constructor(message = 'Sign in first') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class RateLimitedError extends AppError {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** What a client is told while the database cannot be reached (HTTP 503, or a WebSocket error frame). */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The server cannot reach its database for a moment; try again shortly. In an emergency call 120.';

const statusByCode: Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503> = {
  VALIDATION_FAILED: 400,
  INVALID_COORDINATE: 400,
  INVALID_RESOLUTION: 400,
  INVALID_JSON: 400,
  INVALID_INPUT: 400,
  INVALID_GEOJSON: 400,
  OSM_PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_VERIFIED: 403,
  NOT_ON_DUTY: 409,
  NOT_FOUND: 404,
  UNKNOWN_QR_CODE: 404,
  EMAIL_TAKEN: 409,
  INCIDENT_CLOSED: 409,
  DISPATCH_STATE: 409,
  AED_STATE: 409,
  CERTIFICATE_EXPIRED: 409,
  AED_REF_TAKEN: 409,
  QR_SPOT_INACTIVE: 409,
  DRILL_ACCOUNT_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  OUT_OF_CAMPUS: 422,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
};

/** HTTP status for an error code; undefined for codes that are bugs (they become a 500). */
export function httpStatusOf(code: string): (typeof statusByCode)[string] | undefined {
  return Object.hasOwn(statusByCode, code) ? statusByCode[code] : undefined;
}
