import { createContext, useCallback, useContext, useEffect, useState, type DependencyList } from 'react';
import { ApiError } from '../../lib/api-client.ts';
import type { AdminCampus } from './admin-api.ts';

export interface AdminContextValue {
  token: string;
  /** The token was refused (401): back to the sign-in form. */
  expire(): void;
  campus: AdminCampus | null;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

/** The signed-in admin and the campus being managed. */
export function useAdmin(): AdminContextValue {
  const value = useContext(AdminContext);
  if (!value) throw new Error('useAdmin outside AdminContext');
  return value;
}

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Loads data with the admin's token, again when `deps` change, and every `pollMs` when given.
 * A 401 signs the admin out; other errors are returned to show.
 */
export function useLoad<T>(load: (token: string) => Promise<T>, deps: DependencyList, pollMs?: number): Loaded<T> {
  const { token, expire } = useAdmin();
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    load(token).then(
      (data) => alive && setState({ data, error: null, loading: false }),
      (err: unknown) => {
        if (!alive) return;
        const error = err instanceof ApiError ? err : new ApiError(0, 'INTERNAL', String(err));
        if (error.status === 401) expire();
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
    const timer = pollMs ? setInterval(reload, pollMs) : undefined;
    return () => {
      alive = false;
      clearInterval(timer);
    };
    // `load` is a new closure each render; `deps` say when it really changes.
  }, [token, tick, ...deps]);
  return { ...state, reload };
}

/** Runs an action with the admin's token; signs out on 401 and returns the error to show otherwise. */
export function useAction() {
  const { token, expire } = useAdmin();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async <T,>(action: (token: string) => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await action(token);
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, 'INTERNAL', String(err));
        if (e.status === 401) expire();
        setError(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [token, expire],
  );
  return { run, busy, error, clearError: () => setError(null) };
}
