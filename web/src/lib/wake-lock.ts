import { useEffect } from 'react';

type Sentinel = { release(): Promise<void> };
type WakeLockApi = { request(type: 'screen'): Promise<Sentinel> };

/**
 * Keeps the screen on while `active` (CPR with the metronome, a volunteer on the way): a phone that
 * dims in the middle of compressions loses the beat. Where the Screen Wake Lock API is missing or
 * refused, nothing happens. The lock is taken again when the page becomes visible (browsers drop it).
 */
export function useWakeLock(active: boolean): void {
  useEffect(() => {
    const api = (navigator as Navigator & { wakeLock?: WakeLockApi }).wakeLock;
    if (!active || !api) return;
    let sentinel: Sentinel | null = null;
    let alive = true;
    const acquire = () => {
      if (document.visibilityState !== 'visible') return;
      api.request('screen').then(
        (s) => (alive ? (sentinel = s) : void s.release()),
        () => undefined,
      );
    };
    acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      alive = false;
      document.removeEventListener('visibilitychange', acquire);
      void sentinel?.release().catch(() => undefined);
    };
  }, [active]);
}
