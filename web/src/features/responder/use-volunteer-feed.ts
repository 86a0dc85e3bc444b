import { useEffect, useReducer, useRef, useState } from 'react';
import { env } from '../../config/env.ts';
import { localStore } from '../../lib/storage.ts';
import { RealtimeClient, realtimeUrl, type RealtimeStatus } from '../../lib/ws-client.ts';
import { applyDispatch, applyEvent, type Mission, type Missions } from './missions.ts';

type Action = { kind: 'event'; event: { type: string; [key: string]: unknown } } | { kind: 'dispatch'; dispatch: Parameters<typeof applyDispatch>[1] } | { kind: 'forget'; incidentId: string };

function reducer(state: Missions, action: Action): Missions {
  if (action.kind === 'event') return applyEvent(state, action.event);
  if (action.kind === 'dispatch') return applyDispatch(state, action.dispatch);
  const { [action.incidentId]: _gone, ...rest } = state;
  return rest;
}

/**
 * The volunteer's realtime link: alerts, assignments and closings, resumed by seq after any drop.
 * Alerts are acknowledged (delivery receipts). A 4401/4403 close calls `onUnauthorized`.
 */
export function useVolunteerFeed(token: string | null, userId: string | null, onUnauthorized: () => void) {
  const [missions, dispatch] = useReducer(reducer, {} as Missions);
  const [link, setLink] = useState<RealtimeStatus>('connecting');
  const client = useRef<RealtimeClient | null>(null);
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  useEffect(() => {
    if (!token || !userId) return;
    const c = new RealtimeClient({
      url: realtimeUrl(env.wsPath),
      auth: { kind: 'volunteer', token },
      store: localStore,
      seqKey: `aed.seq.user:${userId}`,
      ackTypes: ['alert', 'assignment'],
      onEvent: (e) => dispatch({ kind: 'event', event: { ...e.event, incidentId: (e.event.incidentId as string | undefined) ?? e.incidentId } }),
      onStatus: (s) => {
        setLink(s);
        if (s === 'unauthorized') unauthorized.current();
      },
    });
    client.current = c;
    c.start();
    const wake = () => c.reconnectNow();
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    return () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      c.stop();
      client.current = null;
    };
  }, [token, userId]);

  return {
    missions,
    link,
    client,
    applyAnswer: (d: Parameters<typeof applyDispatch>[1]) => dispatch({ kind: 'dispatch', dispatch: d }),
    forget: (m: Mission) => dispatch({ kind: 'forget', incidentId: m.incidentId }),
  };
}
