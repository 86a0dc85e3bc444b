/**
 * Tells "the database cannot be reached right now" apart from every other failure: a refused or
 * dropped connection, a server shutting down or starting up, a connect timeout. These are the errors
 * the SOS path survives on what the process holds in memory; anything else is a real error.
 * Also tells a statement refused for breaking a constraint, which the SOS write retries step by step.
 */

/** Codes of the `postgres` driver and of Node's sockets for a connection that is gone or never came. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not accepting work: admin or crash shutdown (57P01,
 * 57P02), starting up (57P03), too many connections (53300), and the connection exception class 08.
 */
function isUnavailableSqlState(code: string): boolean {
  return code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || /^08[0-9A-Z]{3}$/.test(code);
}

/** `err` and the errors in its cause chain (drizzle wraps driver errors), nearest first. */
function* causeChain(err: unknown): Generator<unknown> {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

const codeOf = (e: unknown) => (e as { code?: unknown }).code;

/** True when `err` (or an error in its cause chain, as drizzle wraps driver errors) means the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const code = codeOf(e);
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || isUnavailableSqlState(code))) return true;
    // Node's happy-eyeballs connect reports every address's failure in an AggregateError.
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** True when the server refused a statement for breaking a constraint (SQLSTATE class 23: foreign key, unique, check, not null). */
export function isIntegrityViolation(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const code = codeOf(e);
    if (typeof code === 'string' && /^23[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}
