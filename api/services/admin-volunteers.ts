import type { UserRepository, UserRow } from '../db/user-repository.ts';
import { AppError, NotFoundError } from '../errors.ts';
import { isDispatchable } from './auth.ts';
import type { Clock } from './clock.ts';

/** How far ahead the console warns about certificates that run out. */
export const CERTIFICATE_WARNING_DAYS = 30;

/** Where a volunteer's certificate stands on a given day. */
export type CertificateState = 'none' | 'valid' | 'expiring' | 'expired';

/** A volunteer as the admin console shows it: the application, its vetting and whether alerts reach them. */
export interface VolunteerSummary {
  id: string;
  email: string;
  displayName: string;
  phone: string | null;
  verification: UserRow['verification'];
  certificateType: string | null;
  certificateNumber: string | null;
  certificateIssuer: string | null;
  certificateExpiresOn: string | null;
  certificateState: CertificateState;
  /** Days until the certificate expires (negative once expired); null without an expiry date. */
  certificateDaysLeft: number | null;
  /** True when the planner may alert this volunteer today (services/auth isDispatchable). */
  dispatchable: boolean;
  verifiedAt: string | null;
  rejectionReason: string | null;
  appliedAt: string;
}

const DAY_MS = 86_400_000;

/** Whole days from `today` to `day`, both YYYY-MM-DD. */
function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** The console's view of a volunteer row on `at`'s date. */
export function toVolunteerSummary(row: UserRow, at: Date): VolunteerSummary {
  const today = at.toISOString().slice(0, 10);
  const daysLeft = row.certificateExpiresOn ? daysBetween(today, row.certificateExpiresOn) : null;
  const certificateState: CertificateState =
    daysLeft === null ? 'none' : daysLeft < 0 ? 'expired' : daysLeft <= CERTIFICATE_WARNING_DAYS ? 'expiring' : 'valid';
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    phone: row.phone,
    verification: row.verification,
    certificateType: row.certificateType,
    certificateNumber: row.certificateNumber,
    certificateIssuer: row.certificateIssuer,
    certificateExpiresOn: row.certificateExpiresOn,
    certificateState,
    certificateDaysLeft: daysLeft,
    dispatchable: isDispatchable(row, at),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    rejectionReason: row.rejectionReason,
    appliedAt: row.createdAt.toISOString(),
  };
}

export interface AdminVolunteerDeps {
  users: UserRepository;
  clock: Clock;
}

/** Volunteer vetting: applications, verify or reject, certificate expiry reminders. */
export function createAdminVolunteerService({ users, clock }: AdminVolunteerDeps) {
  async function findVolunteer(id: string): Promise<UserRow> {
    const row = await users.findById(id);
    if (!row || row.role !== 'volunteer') throw new NotFoundError('No volunteer with this id');
    return row;
  }

  return {
    async list(filter: { verification?: UserRow['verification']; search?: string }): Promise<VolunteerSummary[]> {
      const now = clock.now();
      return (await users.listVolunteers(filter)).map((r) => toVolunteerSummary(r, now));
    },

    /**
     * Verifies a volunteer's certificate; `certificateExpiresOn` records the date the admin read on it.
     * @throws AppError CERTIFICATE_EXPIRED when the certificate has run out: renew first, then verify.
     */
    async verify(id: string, adminId: string, input: { certificateExpiresOn?: string }): Promise<VolunteerSummary> {
      const row = await findVolunteer(id);
      const now = clock.now();
      const expiresOn = input.certificateExpiresOn ?? row.certificateExpiresOn;
      if (expiresOn !== null && expiresOn < now.toISOString().slice(0, 10)) {
        throw new AppError('CERTIFICATE_EXPIRED', `The certificate expired on ${expiresOn}; enter the renewed certificate's expiry date`);
      }
      const updated = await users.update(row.id, {
        verification: 'verified',
        certificateExpiresOn: expiresOn,
        verifiedAt: now,
        verifiedBy: adminId,
        rejectionReason: null,
      });
      return toVolunteerSummary(updated!, now);
    },

    /** Rejects an application (or withdraws a verification): the volunteer is never alerted. */
    async reject(id: string, adminId: string, reason: string): Promise<VolunteerSummary> {
      const row = await findVolunteer(id);
      const now = clock.now();
      const updated = await users.update(row.id, { verification: 'rejected', rejectionReason: reason, verifiedAt: now, verifiedBy: adminId });
      return toVolunteerSummary(updated!, now);
    },

    /** Verified volunteers whose certificate expired, and those whose certificate expires within `withinDays`. */
    async expiryReminders(withinDays = CERTIFICATE_WARNING_DAYS): Promise<{ expired: VolunteerSummary[]; expiring: VolunteerSummary[] }> {
      const now = clock.now();
      const lastDay = new Date(now.getTime() + withinDays * DAY_MS).toISOString().slice(0, 10);
      const rows = (await users.listCertificatesExpiringBy(lastDay)).map((r) => toVolunteerSummary(r, now));
      return { expired: rows.filter((r) => r.certificateState === 'expired'), expiring: rows.filter((r) => r.certificateState !== 'expired') };
    },
  };
}

export type AdminVolunteerService = ReturnType<typeof createAdminVolunteerService>;
