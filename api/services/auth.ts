import { createHash, randomBytes } from 'node:crypto';
import type { UserRepository, UserRow } from '../db/user-repository.ts';
import { AppError, ConflictError, ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Clock } from './clock.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

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
}

/** Sign-in, sign-up and bearer-token checks. Tokens are random, stored hashed, and expire. */
export function createAuthService({ users, clock, tokenTtlMs }: AuthServiceDeps) {
  async function issueToken(userId: string) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + tokenTtlMs);
    await users.insertSession(hashToken(token), userId, expiresAt);
    return { token, expiresAt };
  }

  return {
    async login(email: string, password: string) {
      const user = await users.findByEmail(email);
      // Verify even for unknown e-mails so response time does not reveal which accounts exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAA$AAAA');
      if (!user || !ok) throw new AppError('UNAUTHORIZED', 'Wrong e-mail or password');
      return { ...(await issueToken(user.id)), user: toAuthUser(user) };
    },

    async registerVolunteer(input: {
      email: string;
      password: string;
      displayName: string;
      phone?: string;
      certificateType?: string;
      certificateNumber?: string;
      certificateIssuer?: string;
      certificateExpiresOn?: string;
    }) {
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

    async logout(token: string): Promise<void> {
      await users.revokeSession(hashToken(token), clock.now());
    },

    /** @throws ForbiddenError unless the user has one of the roles. */
    requireRole(user: AuthUser, roles: readonly Role[]): void {
      if (!roles.includes(user.role)) throw new ForbiddenError(`This needs the ${roles.join(' or ')} role`);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
