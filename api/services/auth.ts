import { createHash, randomBytes } from 'node:crypto';
import type { UserRepository, UserRow } from '../db/user-repository.ts';
import { AppError, ConflictError, ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Clock } from './clock.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createRateLimiter } from './rate-limiter.ts';

export type Role = 'volunteer' | 'admin';

/** Who is calling, as routes and the realtime hub see it. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  verification: 'pending' | 'verified' | 'rejected';
  certificateExpiresOn: string | null;
}

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    displayName: row.displayName,
    verification: row.verification,
    certificateExpiresOn: row.certificateExpiresOn,
  };
}

/** sha256 of a bearer token: what the sessions table stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** True when a volunteer may be alerted: verified and certified on `at`'s date. */
export function isDispatchable(user: Pick<AuthUser, 'verification' | 'certificateExpiresOn'>, at: Date): boolean {
  if (user.verification !== 'verified') return false;
  return user.certificateExpiresOn === null || user.certificateExpiresOn >= at.toISOString().slice(0, 10);
}

export interface AuthServiceDeps {
  users: UserRepository;
  clock: Clock;
  tokenTtlMs: number;
  /** Failed sign-ins allowed per client: a burst, then this many a minute. Default 10, then 5 a minute. */
  failedLoginLimit?: { burst: number; perMinute: number };
  /** New accounts per client address: each costs a password hash (~60 ms of CPU) and a row. */
  registerLimit?: { burst: number; perMinute: number };
  /**
   * A volunteer signed out of their last session: nobody can answer their alerts any more, so the
   * caller takes them off duty (and deletes their position) rather than let the planner pick them.
   */
  onSignedOut?(userId: string): Promise<void>;
}

/** Why an unverified volunteer may not answer alerts. */
export const NOT_VERIFIED_MESSAGE = 'Your volunteer account has not been verified by a campus admin yet';
const TOO_MANY_FAILED_LOGINS = 'Too many failed sign-ins from this device; wait a minute and try again';

/** How far back each look for lapsed sessions reaches past the last one. */
const LAPSED_OVERLAP_MS = 5_000;

/** Sign-in, sign-up and bearer-token checks. Tokens are random, stored hashed, and expire. */
export function createAuthService({ users, clock, tokenTtlMs, failedLoginLimit, registerLimit, onSignedOut }: AuthServiceDeps) {
  // Per client, not per account: a per-account limit would let anyone lock a responder out by
  // failing on purpose with their e-mail. Only failures count, so signing in often costs nothing.
  const failedLogins = createRateLimiter({ burst: failedLoginLimit?.burst ?? 10, perMinute: failedLoginLimit?.perMinute ?? 5, clock });
  const registrations = createRateLimiter({ burst: registerLimit?.burst ?? 10, perMinute: registerLimit?.perMinute ?? 5, clock });
  /** Up to when lapsedSessions has looked. */
  let sessionsLookedAt = clock.now();

  async function issueToken(userId: string) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + tokenTtlMs);
    await users.insertSession(hashToken(token), userId, expiresAt);
    return { token, expiresAt };
  }

  return {
    /**
     * Signs in from `clientKey` (the peer address). Once a client has failed too often, even the right
     * password is refused until its budget refills, so guessing stays slow.
     * @throws AppError UNAUTHORIZED on a wrong e-mail or password; RateLimitedError after too many.
     */
    async login(email: string, password: string, clientKey = 'local') {
      failedLogins.check(clientKey, TOO_MANY_FAILED_LOGINS);
      const user = await users.findByEmail(email);
      // Verify even for unknown e-mails so response time does not reveal which accounts exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAA$AAAA');
      if (!user || !ok) {
        failedLogins.take(clientKey, TOO_MANY_FAILED_LOGINS);
        throw new AppError('UNAUTHORIZED', 'Wrong e-mail or password');
      }
      return { ...(await issueToken(user.id)), user: toAuthUser(user) };
    },

    /** Creates a volunteer account from `clientKey` (the peer address), a few a minute from one address. */
    async registerVolunteer(
      input: {
        email: string;
        password: string;
        displayName: string;
        phone?: string;
        certificateType?: string;
        certificateNumber?: string;
        certificateIssuer?: string;
        certificateExpiresOn?: string;
      },
      clientKey = 'local',
    ) {
      registrations.take(clientKey, 'Too many new accounts from this address; try again in a minute');
      const row = await users.insert({ ...input, passwordHash: await hashPassword(input.password), role: 'volunteer' });
      if (!row) throw new ConflictError('EMAIL_TAKEN', 'An account with this e-mail exists; sign in instead');
      return { ...(await issueToken(row.id)), user: toAuthUser(row) };
    },

    /** Creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD if missing, or resets its password to them. */
    async ensureAdmin(email: string, password: string): Promise<void> {
      const passwordHash = await hashPassword(password);
      const existing = await users.findByEmail(email);
      if (existing) {
        await users.update(existing.id, { passwordHash, role: 'admin', verification: 'verified' });
        return;
      }
      await users.insert({ email, passwordHash, role: 'admin', displayName: 'Administrator', verification: 'verified' });
    },

    /** @throws UnauthorizedError when the token is unknown, expired or revoked. */
    async authenticate(token: string): Promise<AuthUser> {
      const found = await users.findSessionUser(hashToken(token), clock.now());
      if (!found) throw new UnauthorizedError('Your session has expired or was revoked; sign in again');
      return toAuthUser(found.user);
    },

    /**
     * Hashes (hashToken) of the sessions revoked or expired since the last call, a few seconds of
     * overlap included (a revocation committed while the last call read is not missed): the open
     * sockets signed in with them are closed (realtime/socket.ts).
     */
    async lapsedSessions(): Promise<string[]> {
      const now = clock.now();
      const lapsed = await users.lapsedSessionHashes(new Date(sessionsLookedAt.getTime() - LAPSED_OVERLAP_MS), now);
      sessionsLookedAt = now;
      return lapsed;
    },

    /** Revokes the session; a volunteer's last one ends their duty too (see `onSignedOut`). */
    async logout(token: string): Promise<void> {
      const hash = hashToken(token);
      const session = await users.findSessionUser(hash, clock.now());
      await users.revokeSession(hash, clock.now());
      if (session?.user.role === 'volunteer' && onSignedOut && !(await users.hasLiveSession(session.user.id, clock.now()))) {
        await onSignedOut(session.user.id);
      }
    },

    /** @throws ForbiddenError unless the user has one of the roles. */
    requireRole(user: AuthUser, roles: readonly Role[]): void {
      if (!roles.includes(user.role)) throw new ForbiddenError(`This needs the ${roles.join(' or ')} role`);
    },

    /**
     * The account as it is now, for a WebSocket answer to an alert: the socket's session was checked
     * at hello, but an admin may have rejected the volunteer since.
     * @throws UnauthorizedError when the account is gone; ForbiddenError unless a verified volunteer.
     */
    async requireVerifiedVolunteer(userId: string): Promise<AuthUser> {
      const row = await users.findById(userId);
      if (!row) throw new UnauthorizedError('Your account no longer exists');
      if (row.role !== 'volunteer') throw new ForbiddenError('This needs the volunteer role');
      if (row.verification !== 'verified') throw new ForbiddenError(NOT_VERIFIED_MESSAGE);
      return toAuthUser(row);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
