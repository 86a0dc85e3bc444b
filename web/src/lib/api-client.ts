import { hc, type ClientResponse, type InferResponseType } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { ApiType } from '../../../api/app.ts';
import { env } from '../config/env.ts';
import { getLang } from './i18n.ts';

/**
 * Typed HTTP client of the API (`hc<ApiType>`), and ApiError for every failure: a non-2xx answer with
 * the API's `{ error: { code, message, issues? } }` body, a network failure (`code: 'NETWORK'`,
 * `status: 0`) or a timeout (`code: 'TIMEOUT'`, `status: 0`).
 */
export const api = hc<ApiType>(env.apiBase, { headers: languageHeader });

/** Asks for error messages in the page's language (the API writes Chinese and English). */
export function languageHeader(): Record<string, string> {
  return { 'accept-language': getLang() };
}

export interface ApiIssue {
  path: string;
  message: string;
}

/** A failed API call. `status` 0 means the request never got an answer (offline, timeout). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    /** Seconds the server asked us to wait (`retry-after`, on 429). */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }

  /** True when nothing reached the server or no answer came back: worth retrying as is. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

type SuccessBody<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never;

/**
 * Awaits a typed client call and returns its 2xx JSON body.
 * @throws ApiError on a non-2xx answer, a network failure or a timeout
 */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<SuccessBody<R>> {
  let res: R;
  try {
    res = await call;
  } catch (err) {
    const timedOut = err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new ApiError(0, timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? 'The request timed out' : 'No network', [], null);
  }
  if (res.ok) {
    try {
      return (await res.json()) as SuccessBody<R>;
    } catch {
      // A cut connection mid-body looks like bad JSON: treat it as the network failing.
      throw new ApiError(0, 'NETWORK', 'The answer was cut off');
    }
  }
  throw await errorOf(res);
}

async function errorOf(res: ClientResponse<unknown, number, string>): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; issues?: ApiIssue[] } };
    const e = body.error;
    if (e && typeof e.code === 'string') return new ApiError(res.status, e.code, typeof e.message === 'string' ? e.message : e.code, e.issues ?? [], retryAfterS);
  } catch {
    // Not our JSON (a proxy's error page): fall through to a generic error.
  }
  return new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR', `HTTP ${res.status}`, [], retryAfterS);
}

/** Request options: a bearer token, an incident token, a timeout. */
export function requestInit(options: { token?: string | null; incidentToken?: string; timeoutMs?: number } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.incidentToken) headers['x-incident-token'] = options.incidentToken;
  return {
    headers,
    init: { signal: timeoutSignal(options.timeoutMs ?? 15_000), cache: 'no-store' as RequestCache },
  };
}

/** An AbortSignal that fires after `ms` (AbortSignal.timeout is missing on older phones' browsers). */
export function timeoutSignal(ms: number): AbortSignal {
  if (typeof AbortSignal.timeout === 'function') return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException('Timed out', 'TimeoutError')), ms);
  return controller.signal;
}

/** The bystander's view of an incident (state, ETAs, responders, nearest AEDs). */
export type BystanderView = InferResponseType<(typeof api.incidents)[':id']['$get'], 200>;
/** An AED near the patient, with walking time and whether it can be used now. */
export type NearestAed = BystanderView['nearestAeds'][number];
/** Where a QR code hangs. */
export type QrSpot = InferResponseType<(typeof api.qr)[':code']['$get'], 200>;
/** A signed-in session. */
export type Session = InferResponseType<typeof api.auth.login.$post, 200>;
export type User = Session['user'];
/** Duty state of the signed-in volunteer. */
export type Duty = InferResponseType<typeof api.volunteer.duty.$get, 200>;
/** A volunteer's dispatch after an answer. */
export type Dispatch = InferResponseType<(typeof api.incidents)[':id']['respond']['$post'], 200>;
