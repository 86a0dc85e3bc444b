import type { InferRequestType } from 'hono/client';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, requestInit, unwrap, type Session, type User } from '../../lib/api-client.ts';
import { localStore } from '../../lib/storage.ts';

const KEY = 'aed.session';

/** The sign-up form's fields: the API's own request type (no hand-copied shape). */
export type RegisterInput = InferRequestType<typeof api.auth.register.$post>['json'];

function readSession(): Session | null {
  const raw = localStore.get(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return typeof s.token === 'string' && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

/**
 * The volunteer's session: the bearer token in localStorage, checked against `/auth/me` on start.
 * Any 401 (here or elsewhere, through `expire`) goes back to the sign-in screen.
 */
export function useSession() {
  const [session, setSession] = useState<Session | null>(readSession);

  const save = useCallback((s: Session | null) => {
    if (s) localStore.set(KEY, JSON.stringify(s));
    else localStore.remove(KEY);
    setSession(s);
  }, []);

  const token = session?.token ?? null;
  useEffect(() => {
    if (!token) return;
    let alive = true;
    unwrap(api.auth.me.$get({}, requestInit({ token }))).then(
      (user) => alive && setSession((s) => (s && s.token === token ? { ...s, user } : s)),
      (err: unknown) => {
        if (alive && err instanceof ApiError && err.status === 401) save(null);
      },
    );
    return () => {
      alive = false;
    };
  }, [token, save]);

  return {
    session,
    user: session?.user ?? null as User | null,
    async login(email: string, password: string) {
      save(await unwrap(api.auth.login.$post({ json: { email, password } }, requestInit())));
    },
    async register(input: RegisterInput) {
      save(await unwrap(api.auth.register.$post({ json: input }, requestInit())));
    },
    async logout() {
      if (token) await unwrap(api.auth.logout.$post({}, requestInit({ token, timeoutMs: 5_000 }))).catch(() => undefined);
      save(null);
    },
    /** The token was refused somewhere (401, WS 4401): sign in again. */
    expire() {
      save(null);
    },
  };
}
