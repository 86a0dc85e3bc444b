/**
 * Web Storage that never throws: private browsing, full quotas and disabled storage just make it
 * forget. Every caller must work without it (the SOS still goes; it is only less idempotent).
 */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

function wrap(pick: () => Storage): KeyValueStore {
  const memory = new Map<string, string>();
  const storage = (): Storage | null => {
    try {
      return pick();
    } catch {
      // Access itself throws when storage is disabled: fall back to memory for this page's life.
      return null;
    }
  };
  return {
    get(key) {
      try {
        return storage()?.getItem(key) ?? memory.get(key) ?? null;
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key, value) {
      memory.set(key, value);
      try {
        storage()?.setItem(key, value);
      } catch {
        // Quota or privacy mode: the in-memory copy is what we have.
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        storage()?.removeItem(key);
      } catch {
        // See set().
      }
    },
  };
}

/** Survives reloads and restarts: the volunteer's session token, the chosen language. */
export const localStore: KeyValueStore = wrap(() => window.localStorage);
/** Survives reloads of this tab only: the bystander's SOS request id and incident token. */
export const sessionStore: KeyValueStore = wrap(() => window.sessionStorage);

/** A store kept in memory only (tests, and pages that must not persist). */
export function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
}
