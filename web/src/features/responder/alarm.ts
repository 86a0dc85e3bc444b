/**
 * The alert alarm: a loud two-tone siren (Web Audio) and vibration where supported. Browsers play
 * sound only once a tap has unlocked audio, so `unlock()` is called from the volunteer's taps (sign
 * in, going on duty) and the app shows a "tap to enable sound" banner while it is still locked.
 */
export class Alarm {
  private ctx: AudioContext | null = null;
  private loop: ReturnType<typeof setInterval> | null = null;
  private nodes: { osc: OscillatorNode; gain: GainNode } | null = null;
  private listeners = new Set<() => void>();

  /** Call inside a tap handler. */
  unlock(): void {
    try {
      if (!this.ctx && typeof window.AudioContext === 'function') this.ctx = new AudioContext();
      void this.ctx?.resume().then(() => this.emit());
    } catch {
      this.ctx = null;
    }
    this.emit();
  }

  /** True when the siren can sound without another tap. */
  get soundReady(): boolean {
    return this.ctx?.state === 'running';
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.loop) return;
    this.startSiren();
    this.vibrate();
    this.loop = setInterval(() => this.vibrate(), 2_400);
  }

  stop(): void {
    if (this.loop) clearInterval(this.loop);
    this.loop = null;
    if (this.nodes) {
      try {
        this.nodes.osc.stop();
      } catch {
        // Already stopped.
      }
      this.nodes.osc.disconnect();
      this.nodes.gain.disconnect();
      this.nodes = null;
    }
    if (typeof navigator.vibrate === 'function') navigator.vibrate(0);
  }

  private startSiren(): void {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    // Hi-lo siren, 0.45 s a tone, scheduled for ten minutes ahead: the loop needs no timers.
    const t0 = ctx.currentTime;
    for (let i = 0; i < 1_300; i++) osc.frequency.setValueAtTime(i % 2 === 0 ? 960 : 720, t0 + i * 0.45);
    gain.gain.value = 0.35;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    this.nodes = { osc, gain };
  }

  private vibrate(): void {
    if (typeof navigator.vibrate === 'function') navigator.vibrate([700, 200, 700, 200, 700]);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
