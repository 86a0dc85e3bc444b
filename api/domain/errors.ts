/**
 * Typed errors thrown by the pure domain. They carry a literal `code` and no HTTP status:
 * `api/errors.ts` maps codes to statuses in one table (STYLE.md, "Errors").
 */

/** Base class of every error the domain throws on purpose. */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A latitude/longitude is not finite or out of range. */
export class InvalidCoordinateError extends DomainError {
  readonly code = 'INVALID_COORDINATE' as const;
}

/** An H3 resolution outside 0-15 or not an integer. */
export class InvalidResolutionError extends DomainError {
  readonly code = 'INVALID_RESOLUTION' as const;
}

/** A numeric argument or configuration value is out of its documented range. */
export class InvalidArgumentError extends DomainError {
  readonly code = 'INVALID_ARGUMENT' as const;
}

/** An IANA time zone name that `Intl` does not know. */
export class InvalidTimezoneError extends DomainError {
  readonly code = 'INVALID_TIMEZONE' as const;
}

/** An id that is already present was inserted into a point index. */
export class DuplicatePointError extends DomainError {
  readonly code = 'DUPLICATE_POINT' as const;
}

/** An id that the point index does not hold was moved. */
export class UnknownPointError extends DomainError {
  readonly code = 'UNKNOWN_POINT' as const;
}
