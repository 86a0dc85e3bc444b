import type { Clock } from './clock.ts';

/** How stale the set may be: a volunteer who accepted on another process is tracked within this. */
const REFRESH_MS = 2_000;

/**
 * Who is on their way to an incident (accepted or arrived, in any process), read at most every
 * REFRESH_MS and shared by every position update: the position path asks memory, not the database,
 * for the volunteers who are not responding, which is nearly all of them. An accept handled here
 * counts at once.
 */
export function createResponderSet(load: () => Promise<string[]>, clock: Clock) {
  let loaded: { at: number; ids: Promise<Set<string>> } | null = null;
  const addedSince = new Set<string>();

  function current(): Promise<Set<string>> {
    const now = clock.now().getTime();
    if (!loaded || now - loaded.at >= REFRESH_MS) {
      addedSince.clear();
      const ids = load().then((list) => new Set(list));
      // A failed read is retried on the next position rather than remembered.
      ids.catch(() => {
        if (loaded?.ids === ids) loaded = null;
      });
      loaded = { at: now, ids };
    }
    return loaded.ids;
  }

  return {
    async has(volunteerId: string): Promise<boolean> {
      if (addedSince.has(volunteerId)) return true;
      return (await current()).has(volunteerId);
    },
    /** A volunteer who accepted on this process: tracked from their next position on. */
    add(volunteerId: string): void {
      addedSince.add(volunteerId);
    },
  };
}
