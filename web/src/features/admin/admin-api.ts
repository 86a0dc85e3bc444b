import { hc, type InferResponseType } from 'hono/client';
import type { AdminApiType } from '../../../../api/routes/admin.ts';
import { env } from '../../config/env.ts';
import { ApiError, languageHeader, requestInit, timeoutSignal, unwrap } from '../../lib/api-client.ts';

/**
 * Typed client of the admin routes (`hc<AdminApiType>`, a type-only import: no API code reaches the
 * browser). Files and downloads (import, export, QR sheets, CSV) go through `fetchAdmin`.
 */
export const adminApi = hc<AdminApiType>(env.apiBase, { headers: languageHeader });

export type AdminAed = InferResponseType<typeof adminApi.admin.aeds.$get, 200>['aeds'][number];
export type AdminQrSpot = InferResponseType<(typeof adminApi.admin)['qr-spots']['$get'], 200>['spots'][number];
export type AdminCampus = InferResponseType<typeof adminApi.admin.campuses.$get, 200>['campuses'][number];
export type AdminBuilding = InferResponseType<(typeof adminApi.admin.campuses)[':id']['buildings']['$get'], 200>['buildings'][number];
export type VolunteerSummary = InferResponseType<typeof adminApi.admin.volunteers.$get, 200>['volunteers'][number];
export type IncidentSummary = InferResponseType<typeof adminApi.admin.incidents.$get, 200>['incidents'][number];
export type IncidentDetail = InferResponseType<(typeof adminApi.admin.incidents)[':id']['$get'], 200>;
export type Coverage = InferResponseType<typeof adminApi.admin.coverage.$get, 200>;

export { ApiError, unwrap };

/** Options of a call with the admin's bearer token. */
export const withToken = (token: string, timeoutMs = 30_000) => requestInit({ token, timeoutMs });

/**
 * A request to the API that is not JSON in and out (multipart upload, file download).
 * @throws ApiError with the API's error code on a non-2xx answer
 */
export async function fetchAdmin(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${env.apiBase}${path}`, {
      ...init,
      headers: { ...languageHeader(), ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
      signal: timeoutSignal(120_000),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'No network');
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } | null;
  throw new ApiError(res.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `HTTP ${res.status}`, body?.error?.issues ?? []);
}

/** Saves a response body as a file download. */
export async function download(res: Response, fallbackName: string): Promise<void> {
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
