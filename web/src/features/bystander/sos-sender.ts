import { ApiError, type BystanderView } from '../../lib/api-client.ts';
import { backoffDelayMs } from '../../lib/backoff.ts';
import type { KeyValueStore } from '../../lib/storage.ts';
import { uuidV4 } from '../../lib/uuid.ts';

export interface GpsFix {
  lat: number;
  lng: number;
  accuracyM: number;
}

export interface SosRequest {
  qrCode: string;
  clientRequestId: string;
  gps?: GpsFix;
}

export interface SosCreated {
  incidentId: string;
  publicToken: string;
  view: BystanderView;
}

/** Why the last attempt failed: decides the words and how urgent the call-120 link looks. */
export type SosProblem = 'network' | 'rate-limited' | 'server';

export type SosState =
  | { phase: 'idle' }
  | { phase: 'sending'; attempt: number; retryAt: number | null; problem: SosProblem | null }
  | { phase: 'sent'; incidentId: string; publicToken: string; view: BystanderView | null }
  | { phase: 'failed'; code: string };

/** What survives a reload of the tab: the request id (so a retry is the same SOS) and the incident. */
interface Persisted {
  clientRequestId: string;
  pending: boolean;
  incidentId?: string;
  publicToken?: string;
}

export interface SosSenderDeps {
  qrCode: string;
  send(request: SosRequest): Promise<SosCreated>;
  store: KeyValueStore;
  /** The freshest phone position, if the bystander allowed it. */
  gps(): GpsFix | null;
  onChange(state: SosState): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

const BACKOFF = { baseMs: 1_000, capMs: 5_000 };
/** 4xx answers that no retry can change: the code is unknown or malformed. */
const FINAL_CODES = new Set(['NOT_FOUND', 'UNKNOWN', 'VALIDATION_FAILED', 'INVALID_JSON', 'BAD_REQUEST']);

/**
 * Sends the SOS until it goes. Every attempt reuses one clientRequestId (kept in sessionStorage), so
 * retries and reloads never raise a second incident. Network failures, timeouts, 5xx and 429 are
 * retried with backoff (429 after its retry-after); only an unknown QR code stops it.
 */
export class SosSender {
  private state: SosState = { phase: 'idle' };
  private timer: unknown = null;
  private inFlight = false;
  private attempt = 0;
  private disposed = false;
  private readonly key: string;

  constructor(private readonly deps: SosSenderDeps) {
    this.key = `aed.sos.${deps.qrCode}`;
  }

  /** Restores a sent SOS after a reload, or resumes one that was still being sent. */
  restore(): void {
    const saved = this.read();
    if (saved?.incidentId && saved.publicToken) this.set({ phase: 'sent', incidentId: saved.incidentId, publicToken: saved.publicToken, view: null });
    else if (saved?.pending) this.trigger();
  }

  /** The SOS button: starts sending (idempotent while sending or sent). */
  trigger(): void {
    if (this.state.phase === 'sending' || this.state.phase === 'sent') return;
    const saved = this.read();
    this.write({ clientRequestId: saved?.clientRequestId ?? uuidV4(), pending: true });
    this.attempt = 0;
    this.set({ phase: 'sending', attempt: 0, retryAt: null, problem: null });
    void this.attemptOnce();
  }

  /** Skips the wait (the "retry now" button, or the browser coming back online). */
  retryNow(): void {
    if (this.state.phase !== 'sending' || this.inFlight) return;
    (this.deps.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    void this.attemptOnce();
  }

  /** Forgets a closed incident so that a new SOS can be raised from this page. */
  reset(): void {
    this.deps.store.remove(this.key);
    this.set({ phase: 'idle' });
  }

  /** Marks the SOS as sent with a fresher view (from the realtime channel or a poll). */
  updateView(view: BystanderView): void {
    if (this.state.phase === 'sent') this.set({ ...this.state, view });
  }

  dispose(): void {
    this.disposed = true;
    (this.deps.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
  }

  get current(): SosState {
    return this.state;
  }

  private async attemptOnce(): Promise<void> {
    const saved = this.read();
    if (!saved || this.disposed) return;
    this.inFlight = true;
    this.set({ phase: 'sending', attempt: this.attempt, retryAt: null, problem: this.state.phase === 'sending' ? this.state.problem : null });
    const gps = this.deps.gps();
    try {
      const created = await this.deps.send({ qrCode: this.deps.qrCode, clientRequestId: saved.clientRequestId, ...(gps ? { gps } : {}) });
      this.inFlight = false;
      if (this.disposed) return;
      this.write({ clientRequestId: saved.clientRequestId, pending: false, incidentId: created.incidentId, publicToken: created.publicToken });
      this.set({ phase: 'sent', incidentId: created.incidentId, publicToken: created.publicToken, view: created.view });
    } catch (err) {
      this.inFlight = false;
      if (this.disposed) return;
      this.failed(err);
    }
  }

  private failed(err: unknown): void {
    const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
    if (e.status >= 400 && e.status < 500 && e.status !== 429 && e.status !== 408 && (FINAL_CODES.has(e.code) || e.status === 404)) {
      this.deps.store.remove(this.key);
      this.set({ phase: 'failed', code: e.code });
      return;
    }
    const problem: SosProblem = e.status === 429 ? 'rate-limited' : e.status >= 500 ? 'server' : 'network';
    const delay = e.status === 429 && e.retryAfterS !== null ? Math.min(30_000, e.retryAfterS * 1000) : backoffDelayMs(this.attempt, BACKOFF, (this.deps.random ?? Math.random)());
    this.attempt++;
    const now = (this.deps.now ?? Date.now)();
    this.set({ phase: 'sending', attempt: this.attempt, retryAt: now + delay, problem });
    this.timer = (this.deps.setTimer ?? setTimeout)(() => void this.attemptOnce(), delay);
  }

  private set(state: SosState): void {
    this.state = state;
    this.deps.onChange(state);
  }

  private read(): Persisted | null {
    const raw = this.deps.store.get(this.key);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as Persisted;
      return typeof v.clientRequestId === 'string' ? v : null;
    } catch {
      return null;
    }
  }

  private write(value: Persisted): void {
    this.deps.store.set(this.key, JSON.stringify(value));
  }
}
