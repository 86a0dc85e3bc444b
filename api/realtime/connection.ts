import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError, DATABASE_UNAVAILABLE_MESSAGE, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Conn, Hub } from './hub.ts';
import {
  parseClientMessage,
  serializeServerMessage,
  type ClientMessage,
  type ErrorFrame,
  type HelloMessage,
  type MessageIssue,
  type Position,
  type RespondAction,
} from './messages.ts';

/** What the realtime endpoint asks of the services. Errors with an AppError `code` become error frames. */
export interface RealtimeHandlers {
  /**
   * `sessionHash` names the session for lapsedSessions.
   * @throws UnauthorizedError (or another AppError) when the session token is not good.
   */
  authenticateVolunteer(token: string): Promise<{ userId: string; sessionHash?: string }>;
  /** Hashes of the sessions revoked or expired since the last call (or a little before): their sockets are closed. */
  lapsedSessions?(): Promise<string[]>;
  /** True when the public token is the incident's. */
  authenticateBystander(incidentId: string, publicToken: string): Promise<boolean>;
  onPosition(userId: string, position: Position): Promise<void>;
  onRespond(userId: string, incidentId: string, action: RespondAction): Promise<void>;
  /** A device confirms it has shown the event with this seq (delivery receipts). */
  onAck?(recipient: string, seq: number): Promise<void>;
  /** One of the volunteer's connections closed; `hub.isConnected` tells whether another remains. */
  onDisconnect?(userId: string): Promise<void> | void;
}

/** The socket under a connection. `send` must not throw. */
export interface Transport {
  send(data: string): void;
  close(code: number, reason: string): void;
}

export interface ConnectionOptions {
  hub: Hub;
  handlers: RealtimeHandlers;
  logger: Logger;
  /** Token bucket: at most `burst` messages at once, refilled at `perSecond`. */
  rateLimit: { burst: number; perSecond: number };
  /** Delay between the UNAUTHORIZED frame and closing, so the client reads it and guessing is slow. */
  authFailureCloseDelayMs: number;
  /**
   * How long a volunteer's session check is trusted for position messages; answers to alerts always
   * check it again, so a session revoked or expired since hello can no longer act. Default 120000
   * (longer than the app's idle position refresh, so an idle volunteer costs no session query).
   */
  sessionRecheckMs?: number;
  now: () => number;
}

type Principal = { kind: 'volunteer'; userId: string; recipient: string; token: string; sessionHash?: string } | { kind: 'bystander'; recipient: string };

/** Error codes of a session that is not (or no longer) good: the socket is closed with 4401. */
const SESSION_ERRORS = new Set(['UNAUTHORIZED', 'TOKEN_EXPIRED']);

/** Close codes: 4401/4403 mirror HTTP 401/403; 1011 is "server error" (RFC 6455 §7.4.1). */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_SERVER_ERROR = 1011;
/** Messages waiting for a handler before new ones are refused. */
const MAX_PENDING = 32;

/**
 * One client's protocol state: hello first, then authenticated messages handled one after another
 * in arrival order. Invalid input gets an error frame; the connection lives on.
 */
export class Connection implements Conn {
  private helloSeen = false;
  private principal: Principal | null = null;
  /** 'closing' after a refused hello: nothing more is read, the close is on its way. */
  private state: 'open' | 'closing' | 'closed' = 'open';
  private pending = 0;
  private tail: Promise<void> = Promise.resolve();
  private tokens: number;
  private refilledAt: number;
  private limitReported = false;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the volunteer's session was last found good (options.now() time). */
  private sessionCheckedAt = -Infinity;

  constructor(
    private readonly transport: Transport,
    private readonly options: ConnectionOptions,
  ) {
    this.tokens = options.rateLimit.burst;
    this.refilledAt = options.now();
  }

  send(data: string): void {
    if (this.state !== 'closed') this.transport.send(data);
  }

  close(code: number, reason: string): void {
    this.transport.close(code, reason);
  }

  /** The volunteer's session (see RealtimeHandlers.lapsedSessions); undefined for a bystander or before hello. */
  get sessionHash(): string | undefined {
    return this.principal?.kind === 'volunteer' ? this.principal.sessionHash : undefined;
  }

  /** The session was logged out or expired (found by the endpoint's sweep): UNAUTHORIZED, then closed with 4401. */
  sessionLapsed(): void {
    if (this.state !== 'open') return;
    this.rejectAuth(new UnauthorizedError('Your session has expired or was revoked; sign in again'), undefined);
  }

  /** Handles one frame from the client: text, or a binary frame (refused). */
  receive(data: unknown): void {
    if (this.state !== 'open') return;
    if (!this.takeToken()) return;
    if (typeof data !== 'string') return this.sendError({ code: 'INVALID_MESSAGE', message: 'Send JSON text frames' });
    const parsed = parseClientMessage(data);
    if (!parsed.ok) return this.sendError({ code: 'INVALID_MESSAGE', message: parsed.message, ref: parsed.ref, issues: parsed.issues });
    const message = parsed.message;
    if (message.type === 'hello') this.helloSeen = true;
    if (message.type === 'ping') {
      // Answered at once, not behind slow handlers: clients use it to judge the link.
      return this.helloSeen ? this.send(serializeServerMessage({ type: 'pong', ref: message.ref })) : this.helloRequired(message.ref);
    }
    if (this.pending >= MAX_PENDING) return this.sendError({ code: 'RATE_LIMITED', message: 'Too many messages in flight', ref: message.ref });
    this.pending++;
    this.tail = this.tail.then(() => this.handle(message)).then(
      () => this.settle(),
      (err: unknown) => this.settle(err, message),
    );
  }

  /** The socket closed: leave the hub and tell the services. */
  onClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.closeTimer);
    const principal = this.principal;
    if (!principal) return;
    this.options.hub.detach(principal.recipient, this);
    if (principal.kind === 'volunteer' && this.options.handlers.onDisconnect) {
      Promise.resolve()
        .then(() => this.options.handlers.onDisconnect?.(principal.userId))
        .catch((err: unknown) => this.options.logger.error('realtime onDisconnect failed', { error: String(err) }));
    }
  }

  private settle(err?: unknown, message?: ClientMessage): void {
    this.pending--;
    if (err !== undefined && message) this.sendError(this.errorFrameOf(err, message));
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.state !== 'open') return;
    const principal = this.principal;
    if (message.type === 'hello') return principal ? this.alreadyAuthenticated(message.ref) : this.hello(message);
    if (!principal) return this.helloRequired(message.ref);
    const { handlers } = this.options;
    switch (message.type) {
      case 'position':
        if (principal.kind !== 'volunteer') return this.forbidden('Only volunteers share positions', message.ref);
        if (!(await this.sessionStillGood(principal.token, this.options.sessionRecheckMs ?? 120_000, message.ref))) return;
        return handlers.onPosition(principal.userId, { lat: message.lat, lng: message.lng, accuracyM: message.accuracyM, level: message.level });
      case 'respond':
        if (principal.kind !== 'volunteer') return this.forbidden('Only volunteers answer alerts', message.ref);
        if (!(await this.sessionStillGood(principal.token, 0, message.ref))) return;
        return handlers.onRespond(principal.userId, message.incidentId, message.action);
      case 'ack':
        return handlers.onAck?.(principal.recipient, message.seq);
    }
  }

  private async hello(message: HelloMessage): Promise<void> {
    let principal: Principal;
    try {
      principal = await this.authenticate(message.auth);
    } catch (err) {
      return this.rejectAuth(err, message.ref);
    }
    if (this.state !== 'open') return;
    this.principal = principal;
    this.sessionCheckedAt = this.options.now();
    try {
      await this.options.hub.attach(principal.recipient, this, message.lastSeq);
    } catch (err) {
      // Without the backlog the client would silently miss events: make it reconnect and resume.
      this.options.logger.error('realtime resume failed', { error: String(err) });
      this.sendError({ code: 'INTERNAL', message: 'Could not load missed events; reconnect', ref: message.ref });
      this.close(CLOSE_SERVER_ERROR, 'Resume failed');
    }
  }

  private async authenticate(auth: HelloMessage['auth']): Promise<Principal> {
    const { handlers } = this.options;
    if (auth.kind === 'volunteer') {
      const { userId, sessionHash } = await handlers.authenticateVolunteer(auth.token);
      return { kind: 'volunteer', userId, recipient: `user:${userId}`, token: auth.token, sessionHash };
    }
    const ok = await handlers.authenticateBystander(auth.incidentId, auth.publicToken);
    if (!ok) throw new UnauthorizedError('Unknown incident or wrong token');
    return { kind: 'bystander', recipient: `incident:${auth.incidentId}` };
  }

  /**
   * Checks the volunteer's session again unless it was found good within `maxAgeMs`. A session
   * logged out, expired or deleted since hello gets the UNAUTHORIZED frame and a 4401 close.
   */
  private async sessionStillGood(token: string, maxAgeMs: number, ref: string | undefined): Promise<boolean> {
    const now = this.options.now();
    if (now - this.sessionCheckedAt < maxAgeMs) return true;
    try {
      await this.options.handlers.authenticateVolunteer(token);
    } catch (err) {
      if (!(err instanceof AppError) || !SESSION_ERRORS.has(err.code)) throw err;
      this.rejectAuth(err, ref);
      return false;
    }
    this.sessionCheckedAt = now;
    return true;
  }

  private rejectAuth(err: unknown, ref: string | undefined): void {
    const frame = this.errorFrameOf(err, { type: 'hello', ref });
    // A server-side failure (the database unreachable included) closes with 1011: the client retries.
    const serverSide = frame.code === 'INTERNAL' || frame.code === 'DATABASE_UNAVAILABLE';
    const code = frame.code === 'UNAUTHORIZED' || frame.code === 'TOKEN_EXPIRED' ? CLOSE_UNAUTHORIZED : serverSide ? CLOSE_SERVER_ERROR : CLOSE_FORBIDDEN;
    this.sendError(frame);
    this.state = 'closing';
    this.closeTimer = setTimeout(() => this.close(code, frame.code), this.options.authFailureCloseDelayMs);
    this.closeTimer.unref?.();
  }

  private errorFrameOf(err: unknown, message: Pick<ClientMessage, 'type' | 'ref'>): Omit<ErrorFrame, 'type'> {
    if (err instanceof AppError) {
      const issues = (err as { issues?: MessageIssue[] }).issues;
      return { code: err.code, message: err.message, ref: message.ref, ...(issues?.length ? { issues } : {}) };
    }
    if (isDatabaseUnavailable(err)) return { code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE, ref: message.ref };
    this.options.logger.error('realtime handler failed', { message: message.type, error: String(err), stack: (err as Error)?.stack });
    return { code: 'INTERNAL', message: 'Something went wrong on our side', ref: message.ref };
  }

  private takeToken(): boolean {
    const { burst, perSecond } = this.options.rateLimit;
    const now = this.options.now();
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) * perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.limitReported = false;
      return true;
    }
    // One error frame per burst of refused messages: answering each would amplify a flood.
    if (!this.limitReported) this.sendError({ code: 'RATE_LIMITED', message: `Slow down: at most ${perSecond} messages per second` });
    this.limitReported = true;
    return false;
  }

  private helloRequired(ref: string | undefined): void {
    this.sendError({ code: 'HELLO_REQUIRED', message: 'Send hello first', ref });
  }

  private alreadyAuthenticated(ref: string | undefined): void {
    this.sendError({ code: 'ALREADY_AUTHENTICATED', message: 'hello was already accepted on this connection', ref });
  }

  private forbidden(message: string, ref: string | undefined): void {
    this.sendError({ code: 'FORBIDDEN', message, ref });
  }

  private sendError(frame: Omit<ErrorFrame, 'type'>): void {
    this.send(serializeServerMessage({ type: 'error', ...frame }));
  }
}
