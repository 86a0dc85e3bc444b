import { useCallback, useState } from 'react';
import { api, ApiError, requestInit, unwrap, type Session } from '../../lib/api-client.ts';
import { localStore } from '../../lib/storage.ts';

const KEY = 'aed.admin.session';

function readSession(): Session | null {
  try {
    const s = JSON.parse(localStore.get(KEY) ?? 'null') as Session | null;
    return s && typeof s.token === 'string' && s.user?.role === 'admin' && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

/** Thrown by `login` when the account signs in but is not an admin. */
export class NotAdminError extends Error {
  override name = 'NotAdminError';
}

/** The admin's session: a bearer token kept in localStorage apart from a volunteer's session on the same device. */
export function useAdminSession() {
  const [session, setSession] = useState<Session | null>(readSession);
  const save = useCallback((s: Session | null) => {
    if (s) localStore.set(KEY, JSON.stringify(s));
    else localStore.remove(KEY);
    setSession(s);
  }, []);
  const expire = useCallback(() => save(null), [save]);
  return {
    session,
    expire,
    /** @throws ApiError (wrong password: status 401), NotAdminError */
    async login(email: string, password: string) {
      const s = await unwrap(api.auth.login.$post({ json: { email, password } }, requestInit()));
      if (s.user.role !== 'admin') {
        await unwrap(api.auth.logout.$post({}, requestInit({ token: s.token }))).catch(() => undefined);
        throw new NotAdminError('not an admin');
      }
      save(s);
    },
    async logout() {
      if (session) await unwrap(api.auth.logout.$post({}, requestInit({ token: session.token, timeoutMs: 5_000 }))).catch(() => undefined);
      save(null);
    },
  };
}

export { ApiError };
