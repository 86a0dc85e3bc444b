import { useEffect, useRef, useState } from 'react';
import { env } from '../../config/env.ts';
import { api, requestInit, unwrap, type BystanderView } from '../../lib/api-client.ts';
import { sessionStore } from '../../lib/storage.ts';
import { RealtimeClient, realtimeUrl, type RealtimeStatus } from '../../lib/ws-client.ts';

export interface IncidentFeed {
  view: BystanderView | null;
  /** `Date.now()` when `view` arrived: ETAs count down from there (the phone's clock may be off). */
  receivedAt: number;
  link: RealtimeStatus;
}

/** Polling while the WebSocket is down, and a slow safety poll while it is up. */
const POLL_OFFLINE_MS = 4_000;
const POLL_LIVE_MS = 30_000;

/**
 * Live status of the bystander's incident: `status` events over the WebSocket (resumed by seq after
 * reconnects), with HTTP polling whenever the socket is not live.
 */
export function useIncident(incidentId: string | null, publicToken: string | null, initial: BystanderView | null): IncidentFeed {
  const [feed, setFeed] = useState<IncidentFeed>({ view: initial, receivedAt: Date.now(), link: 'connecting' });
  const linkRef = useRef<RealtimeStatus>('connecting');

  useEffect(() => {
    if (initial) setFeed((f) => (f.view ? f : { ...f, view: initial, receivedAt: Date.now() }));
  }, [initial]);

  // Nothing more changes once the incident is closed: the socket and the polling stop.
  const closed = !!feed.view && feed.view.state !== 'open';

  useEffect(() => {
    if (!incidentId || !publicToken || closed) return;
    let alive = true;
    const accept = (view: BystanderView) => alive && setFeed((f) => ({ ...f, view, receivedAt: Date.now() }));
    const client = new RealtimeClient({
      url: realtimeUrl(env.wsPath),
      auth: { kind: 'bystander', incidentId, publicToken },
      store: sessionStore,
      seqKey: `aed.seq.incident:${incidentId}`,
      onEvent: (e) => {
        if (e.event.type === 'status' && e.event.view) accept(e.event.view as BystanderView);
      },
      onStatus: (link) => {
        linkRef.current = link;
        if (alive) setFeed((f) => ({ ...f, link }));
      },
    });
    client.start();

    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        accept(await unwrap(api.incidents[':id'].$get({ param: { id: incidentId }, header: {}, query: {} }, requestInit({ incidentToken: publicToken, timeoutMs: 8_000 }))));
      } catch {
        // The next poll or the socket will bring it.
      }
      if (alive) timer = setTimeout(poll, linkRef.current === 'live' ? POLL_LIVE_MS : POLL_OFFLINE_MS);
    };
    void poll();
    const wake = () => client.reconnectNow();
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    return () => {
      alive = false;
      clearTimeout(timer);
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      client.stop();
    };
  }, [incidentId, publicToken, closed]);

  return feed;
}

/** Ticks every second while mounted, for countdowns. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
