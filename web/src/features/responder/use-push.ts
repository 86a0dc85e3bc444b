import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type Dispatch } from '../../lib/api-client.ts';
import { localStore } from '../../lib/storage.ts';
import { checkPush, closeNotification, enablePush, sendTestAlert, type PushStatus } from './push-client.ts';
import { createAlertLog } from './push-dedupe.ts';

export type TestResult = { kind: 'sent'; devices: number; delivered: number } | { kind: 'failed' };

interface PushMessage {
  type: 'push-alert' | 'push-answer';
  alert?: { alertId: string; type: string; incidentId: string | null };
  answer?: { ok: boolean; status: number; dispatch: Dispatch | null } | null;
}

/**
 * Push on this device for the volunteer app: its status, the explanation shown before the browser
 * asks for permission, the test alert, and duplicate dropping. `onPushAlert` runs for a pushed alert
 * the page has not shown yet (the caller resumes the WebSocket, which brings the full alert);
 * `onAnswered` with the dispatch when the volunteer answered from a notification.
 */
export function usePush(token: string, handlers: { onPushAlert(): void; onAnswered(dispatch: Dispatch): void }) {
  const [status, setStatus] = useState<PushStatus>('off');
  const [explaining, setExplaining] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const log = useMemo(() => createAlertLog(localStore), []);
  const on = useRef(handlers);
  on.current = handlers;

  const settle = useCallback(async (work: () => Promise<PushStatus>) => {
    setBusy(true);
    try {
      setStatus(await work());
    } catch {
      // The browser refused to subscribe or the API did not store it: the card shows it and offers to try again.
      setStatus('failed');
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void settle(() => checkPush(token));
  }, [token, settle]);

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (e: MessageEvent<PushMessage>) => {
      if (e.data?.type === 'push-answer') {
        if (e.data.answer?.dispatch) on.current.onAnswered(e.data.answer.dispatch);
        return;
      }
      const alert = e.data?.type === 'push-alert' ? e.data.alert : undefined;
      if (!alert || alert.type === 'test') return;
      if (log.firstSight(alert.alertId)) on.current.onPushAlert();
      // The WebSocket came first and the page shows the alert: the notification is a duplicate.
      else if (document.visibilityState === 'visible') void closeNotification(alert.alertId);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [log]);

  /** The page shows this alert (it came over the WebSocket): drop the push copy, before or after. */
  const shown = useCallback(
    (alertId: string) => {
      log.firstSight(alertId);
      if (document.visibilityState === 'visible') void closeNotification(alertId);
    },
    [log],
  );

  return {
    status,
    explaining,
    busy,
    test,
    /** Going on duty: explain first if the browser has not been asked yet. */
    offer: () => {
      if (status === 'off') setExplaining(true);
    },
    /** "Allow alerts" on the explanation: now the browser asks. */
    enable: () => {
      setExplaining(false);
      void settle(() => enablePush(token));
    },
    /** The "turn on push" button: explain again, then the volunteer allows. */
    offerNow: () => setExplaining(true),
    dismiss: () => setExplaining(false),
    sendTest: async () => {
      setTest(null);
      try {
        const { devices } = await sendTestAlert(token);
        setTest({ kind: 'sent', devices: devices.length, delivered: devices.filter((d) => d.ok).length });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        setTest({ kind: 'failed' });
      }
    },
    shown,
  };
}

export type PushState = ReturnType<typeof usePush>;
