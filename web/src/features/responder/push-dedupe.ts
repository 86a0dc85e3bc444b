import type { KeyValueStore } from '../../lib/storage.ts';

/** The id one alert has over both channels: the WebSocket `alert` event and the push message. */
export function alertIdOf(alert: { incidentId: string; dispatchId: string }): string {
  return `${alert.incidentId}:${alert.dispatchId}`;
}

/** Ids remembered: far more than the alerts one volunteer gets in a day. */
const MAX_IDS = 100;

/**
 * Alert ids this device has already shown, whichever channel brought them first. `firstSight(id)`
 * is true once per id, so the second copy (WebSocket after push, or push after WebSocket) is dropped.
 * Kept in `store` so a page reloaded from a notification still knows what it showed.
 */
export function createAlertLog(store: KeyValueStore, key = 'aed.alerts.seen') {
  const read = (): string[] => {
    const raw = store.get(key);
    if (!raw) return [];
    try {
      const ids: unknown = JSON.parse(raw);
      return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      // Corrupt or foreign value: start a fresh log.
      return [];
    }
  };
  return {
    firstSight(alertId: string): boolean {
      const ids = read();
      if (ids.includes(alertId)) return false;
      store.set(key, JSON.stringify([...ids, alertId].slice(-MAX_IDS)));
      return true;
    },
    seen: (alertId: string) => read().includes(alertId),
  };
}

export type AlertLog = ReturnType<typeof createAlertLog>;
