import './responder.css';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Call120Bar } from '../../components/call-120-bar.tsx';
import { LanguageToggle } from '../../components/language-toggle.tsx';
import { env } from '../../config/env.ts';
import { ApiError, api, requestInit, unwrap, type User } from '../../lib/api-client.ts';
import { useT } from '../../lib/i18n.ts';
import { Alarm } from './alarm.ts';
import { AlertOverlay } from './alert-overlay.tsx';
import { AuthScreen } from './auth-screen.tsx';
import { DutyCard } from './duty-card.tsx';
import { responderMessages } from './messages.ts';
import { MissionView } from './mission-view.tsx';
import { activeMission, closedMissions, pendingAlert, type Mission } from './missions.ts';
import { PushCard } from './push-card.tsx';
import { forgetDevice } from './push-client.ts';
import { alertIdOf } from './push-dedupe.ts';
import { useDuty } from './use-duty.ts';
import { usePush } from './use-push.ts';
import { useSession } from './use-session.ts';
import { useVolunteerFeed } from './use-volunteer-feed.ts';

/** The volunteer app (`/responder`): sign in, duty, alerts, the mission. Loaded with import(). */
export function ResponderApp() {
  const t = useT(responderMessages);
  const session = useSession();
  const alarm = useMemo(() => new Alarm(), []);
  const user = session.session?.user ?? null;
  return (
    <div className="page responder">
      <header className="app-header">
        <h1>{t('appTitle')}</h1>
        <LanguageToggle />
      </header>
      <main className="page-main">
        {!session.session || !user ? (
          <AuthScreen onLogin={session.login} onRegister={session.register} onGesture={() => alarm.unlock()} />
        ) : (
          <SignedIn key={session.session.token} token={session.session.token} user={user} alarm={alarm} onLogout={session.logout} onExpired={session.expire} />
        )}
      </main>
      <Call120Bar number={env.emergencyNumber} />
    </div>
  );
}

interface SignedInProps {
  token: string;
  user: User;
  alarm: Alarm;
  onLogout(): void;
  onExpired(): void;
}

function SignedIn({ token, user, alarm, onLogout, onExpired }: SignedInProps) {
  const t = useT(responderMessages);
  const feed = useVolunteerFeed(token, user.id, onExpired);
  const duty = useDuty(token, feed.client, onExpired);
  const soundReady = useSyncExternalStore(useCallback((l: () => void) => alarm.subscribe(l), [alarm]), () => alarm.soundReady);
  // A pushed alert the page has not shown: resume the socket now. An answer given from a notification: apply it.
  const push = usePush(token, { onPushAlert: () => feed.client.current?.reconnectNow(), onAnswered: (d) => feed.applyAnswer(d) });
  const [answer, setAnswer] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const alert = pendingAlert(feed.missions, Date.now());
  const mission = activeMission(feed.missions);
  const closed = closedMissions(feed.missions);

  const { shown } = push;
  useEffect(() => {
    if (!alert) return;
    shown(alertIdOf(alert));
    alarm.start();
    const title = document.title;
    document.title = `🚨 ${t('alertTitle')}`;
    return () => {
      alarm.stop();
      document.title = title;
    };
  }, [alert?.incidentId, alarm, t, shown]);

  const { resendPosition } = duty;
  useEffect(() => {
    // A fresh socket: tell the server where we are at once (it forgets positions of dropped links).
    if (feed.link === 'live') resendPosition();
  }, [feed.link, resendPosition]);

  const respond = async (m: Mission, action: 'accept' | 'decline' | 'arrived') => {
    alarm.unlock();
    setAnswer({ busy: true, error: null });
    try {
      const d = await unwrap(api.incidents[':id'].respond.$post({ param: { id: m.incidentId }, json: { action } }, requestInit({ token })));
      feed.applyAnswer(d);
      setAnswer({ busy: false, error: null });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onExpired();
      if (err instanceof ApiError && err.code === 'INCIDENT_CLOSED') {
        feed.applyAnswer({ incidentId: m.incidentId, role: m.role, status: 'cancelled', aedId: null, etaS: null });
      }
      setAnswer({ busy: false, error: t('answerFailed') });
    }
  };

  const resolve = async (m: Mission) => {
    setAnswer({ busy: true, error: null });
    try {
      await unwrap(api.incidents[':id'].resolve.$post({ param: { id: m.incidentId } }, requestInit({ token })));
      setAnswer({ busy: false, error: null });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onExpired();
      setAnswer({ busy: false, error: t('answerFailed') });
    }
  };

  const self = duty.position.kind === 'ok' ? duty.position.at : null;
  return (
    <>
      <div className="user-line">
        <span>{t('hello', { name: user.displayName })}</span>
        {/* Take the token back from the service worker, and forget this device, before signing out. */}
        <button type="button" className="btn btn-quiet" onClick={() => void forgetDevice(token).then(onLogout, onLogout)}>
          {t('logout')}
        </button>
      </div>
      {closed.map((m) => (
        <section key={m.incidentId} className="panel panel-closed" role="status" data-testid="mission-closed">
          <h2>{m.closed === 'resolved' ? t('closedResolved') : t('closedCancelled')}</h2>
          <button type="button" className="btn btn-secondary" onClick={() => feed.forget(m)}>
            {t('dismiss')}
          </button>
        </section>
      ))}
      {mission ? (
        <MissionView mission={mission} self={self} busy={answer.busy} error={answer.error} onArrived={() => respond(mission, 'arrived')} onResolve={() => resolve(mission)} />
      ) : (
        <DutyCard user={user} duty={duty.duty} busy={duty.busy} position={duty.position} link={feed.link} soundReady={soundReady} failed={duty.error !== null}
          onToggle={() => { alarm.unlock(); if (!duty.duty?.onDuty) push.offer(); void duty.setOnDuty(!duty.duty?.onDuty); }} onUnlockSound={() => alarm.unlock()} />
      )}
      {!mission && (duty.duty?.onDuty || push.explaining) && <PushCard push={push} />}
      {alert && (
        <AlertOverlay mission={alert} busy={answer.busy} error={answer.error} onAccept={() => respond(alert, 'accept')} onDecline={() => respond(alert, 'decline')} />
      )}
    </>
  );
}
