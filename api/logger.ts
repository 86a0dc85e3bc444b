export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names whose values never reach a log line (tokens, passwords, push keys). */
const secretKey = /pass(word)?|token|secret|authorization|cookie|p256dh|auth$/i;

/**
 * drizzle's query errors carry the statement's values in their message and stack ("Failed query:
 * …\nparams: …"): password hashes, push keys, e-mails, positions. The statement stays, the values go.
 */
const queryParams = /(\nparams: )[\s\S]*?(?=\n {4}at |$)/g;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = secretKey.test(k) ? '[redacted]' : typeof v === 'string' ? v.replace(queryParams, '$1[redacted]') : v;
  }
  return out;
}

/** A one-line JSON logger on stderr; secrets are redacted by field name, query values in error text. */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const log = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (order[at] < order[level]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: at, msg, ...redact(fields) }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
