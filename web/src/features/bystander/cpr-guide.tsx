import { useEffect, useRef, useState } from 'react';
import { useT } from '../../lib/i18n.ts';
import { useWakeLock } from '../../lib/wake-lock.ts';
import { bystanderMessages, type BystanderKey } from './messages.ts';
import { CPR_RATE_PER_MIN, createMetronome, type Metronome } from './metronome.ts';

const STEPS: BystanderKey[] = ['cprStep1', 'cprStep2', 'cprStep3', 'cprStep4', 'cprStep5'];

/** Short CPR steps and a metronome at 110 a minute, with sound and a visual pulse. */
export function CprGuide() {
  const t = useT(bystanderMessages);
  const [running, setRunning] = useState(false);
  const [sound, setSound] = useState(true);
  const [count, setCount] = useState(0);
  const metronome = useRef<Metronome | null>(null);
  const audio = useRef<AudioContext | null>(null);
  useWakeLock(running);

  useEffect(() => () => metronome.current?.stop(), []);

  const toggle = () => {
    if (running) {
      metronome.current?.stop();
      metronome.current = null;
      setRunning(false);
      return;
    }
    // Created inside the tap: browsers only allow sound that a gesture started.
    if (!audio.current && typeof window.AudioContext === 'function') {
      try {
        audio.current = new AudioContext();
      } catch {
        audio.current = null;
      }
    }
    const m = createMetronome({ ratePerMin: CPR_RATE_PER_MIN, audio: audio.current, onBeat: (i) => setCount(i + 1) });
    m.setSound(sound);
    m.start();
    metronome.current = m;
    setRunning(true);
  };

  const toggleSound = () => {
    metronome.current?.setSound(!sound);
    setSound(!sound);
  };

  return (
    <section className="panel panel-cpr" aria-labelledby="cpr-title">
      <h2 id="cpr-title">{t('cprTitle')}</h2>
      <ol className="cpr-steps">
        {STEPS.map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ol>
      <div className="metronome">
        <div className={`beat ${running ? 'beat-running' : ''}`} aria-hidden="true" data-beat={count % 2}>
          <span key={count} className="beat-pulse" />
          <span className="beat-count">{running ? ((count - 1) % 30) + 1 || '' : CPR_RATE_PER_MIN}</span>
        </div>
        <div className="metronome-controls">
          <button type="button" className={`btn ${running ? 'btn-secondary' : 'btn-primary'}`} aria-pressed={running} onClick={toggle}>
            {running ? t('metronomeStop') : t('metronomeStart')}
          </button>
          <button type="button" className="btn btn-secondary" aria-pressed={sound} onClick={toggleSound}>
            {sound ? t('soundOn') : t('soundOff')}
          </button>
          <p className="metronome-rate">{t('metronomeRate', { rate: CPR_RATE_PER_MIN })}</p>
          {running && <p className="sr-only" aria-live="off">{t('compressions')}: {count}</p>}
        </div>
      </div>
    </section>
  );
}
