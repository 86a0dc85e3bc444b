import { describe, expect, it } from 'vitest';
import { alertIdOf, createAlertLog } from '../../../../../web/src/features/responder/push-dedupe.ts';
import type { KeyValueStore } from '../../../../../web/src/lib/storage.ts';

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

describe('the shown-alerts log', () => {
  it('is true once per alert id, whichever channel asks first', () => {
    const log = createAlertLog(memoryStore());
    const id = alertIdOf({ incidentId: 'i1', dispatchId: 'd1' });
    expect(id).toBe('i1:d1');
    expect(log.firstSight(id)).toBe(true); // the WebSocket frame
    expect(log.firstSight(id)).toBe(false); // the push copy
    expect(log.firstSight('i1:d2')).toBe(true);
  });

  it('survives a reload through its store, and keeps the last 100 ids', () => {
    const store = memoryStore();
    const first = createAlertLog(store);
    for (let i = 0; i < 120; i++) first.firstSight(`a${i}`);
    const reloaded = createAlertLog(store);
    expect(reloaded.seen('a119')).toBe(true);
    expect(reloaded.seen('a19')).toBe(false);
    expect(JSON.parse(store.map.get('aed.alerts.seen')!)).toHaveLength(100);
  });

  it('starts afresh from a corrupt value', () => {
    const store = memoryStore();
    store.set('aed.alerts.seen', '{nope');
    expect(createAlertLog(store).firstSight('x')).toBe(true);
  });
});
