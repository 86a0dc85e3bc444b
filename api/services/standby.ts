/**
 * What a process keeps in memory so that an SOS still alerts volunteers while the database is
 * unreachable: every QR spot and AED (reloaded when they change), the profile of each volunteer who
 * signed in here, and the positions they share. Only volunteers connected to this process can be
 * alerted without the database (the bus between processes runs through it), so only they are planned.
 */
import type { Aed, AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository, QrSpotRow } from '../db/campus-repository.ts';
import type { VolunteerRepository } from '../db/volunteer-repository.ts';
import { H3PointIndex } from '../domain/h3-index.ts';
import { distanceM } from '../domain/geo.ts';
import type { LatLng, VolunteerForPlanning } from '../domain/types.ts';
import type { Logger } from '../logger.ts';
import { isDispatchable, type AuthUser } from './auth.ts';
import type { Clock } from './clock.ts';
import type { CandidateSource } from './matching.ts';
import type { LivePosition } from './volunteers.ts';

export interface StandbyDeps {
  campuses: Pick<CampusRepository, 'listQrSpots' | 'qrSpotsFingerprint'>;
  aeds: Pick<AedRepository, 'listAll' | 'fingerprint'>;
  volunteers: Pick<VolunteerRepository, 'getDuty'>;
  /** The volunteer service's live positions and index. */
  livePositions(): ReadonlyMap<string, LivePosition>;
  liveNear(point: LatLng, radiusM: number): string[];
  /** True when the volunteer has a connection on this process (an alert can reach them). */
  reachable(userId: string): boolean;
  clock: Clock;
  logger: Logger;
  /** How often the snapshot checks for changes (a cheap query; the reload only on a change). */
  refreshMs?: number;
}

type Profile = Pick<AuthUser, 'verification' | 'certificateExpiresOn'>;
interface StoredPosition extends LatLng {
  level: number | null;
  at: Date;
}

export function createStandby(deps: StandbyDeps) {
  const { clock, logger } = deps;
  let spots = new Map<string, QrSpotRow>();
  let aedById = new Map<string, Aed>();
  let aedIndex = new H3PointIndex();
  let fingerprint: string | null = null;
  const profiles = new Map<string, Profile>();
  /** Positions read from the database at sign-in, for volunteers who have not moved since. */
  const stored = new Map<string, StoredPosition>();
  const storedIndex = new H3PointIndex();
  let timer: { cancel(): void } | null = null;
  let loadedAt: Date | null = null;

  async function reload(): Promise<void> {
    const current = (await Promise.all([deps.aeds.fingerprint(), deps.campuses.qrSpotsFingerprint()])).join('|');
    if (current === fingerprint && loadedAt) return;
    const [spotRows, aedRows] = await Promise.all([deps.campuses.listQrSpots(), deps.aeds.listAll()]);
    spots = new Map(spotRows.filter((s) => s.active).map((s) => [s.code, s]));
    aedById = new Map(aedRows.map((a) => [a.id, a]));
    const index = new H3PointIndex();
    for (const a of aedRows) index.insert(a.id, a);
    aedIndex = index;
    fingerprint = current;
    loadedAt = clock.now();
  }

  const source: CandidateSource = {
    async volunteers(point, radiusM, at, exclude) {
      const live = deps.livePositions();
      const ids = new Set([...deps.liveNear(point, radiusM), ...storedIndex.within(point, radiusM).map((p) => p.id)]);
      const out: VolunteerForPlanning[] = [];
      for (const id of ids) {
        const profile = profiles.get(id);
        if (!profile || exclude.has(id) || !deps.reachable(id) || !isDispatchable(profile, at)) continue;
        const fresh = live.get(id);
        const old = stored.get(id);
        const p = fresh && (!old || fresh.at >= old.at) ? fresh : old;
        if (!p || distanceM(point, p) > radiusM) continue;
        out.push({ id, lat: p.lat, lng: p.lng, level: p.level, positionAtMs: p.at.getTime() });
      }
      return out;
    },
    async aeds(point, radiusM) {
      return aedIndex.within(point, radiusM).map((p) => aedById.get(p.id)!);
    },
  };

  return {
    source,

    /** The QR spot of a code, as last read from the database. */
    qrSpot(code: string): QrSpotRow | undefined {
      return spots.get(code);
    },

    /**
     * Remembers a volunteer who signed in on this process (their profile as of now), and, unless this
     * process already knows where they are, reads their last stored position in the background so a
     * volunteer who has not moved can be planned too.
     */
    remember(user: Pick<AuthUser, 'id'> & Profile): void {
      profiles.set(user.id, { verification: user.verification, certificateExpiresOn: user.certificateExpiresOn });
      // Sessions are re-checked every couple of minutes: a volunteer already placed is not read again.
      if (stored.has(user.id) || deps.livePositions().has(user.id)) return;
      deps.volunteers.getDuty(user.id).then(
        (duty) => {
          if (duty?.onDuty && duty.lat !== null && duty.lng !== null && duty.positionAt) {
            stored.set(user.id, { lat: duty.lat, lng: duty.lng, level: duty.level, at: duty.positionAt });
            storedIndex.upsert(user.id, { lat: duty.lat, lng: duty.lng });
          } else {
            stored.delete(user.id);
            storedIndex.remove(user.id);
          }
        },
        () => {},
      );
    },

    /** Forgets a volunteer's stored position (off duty). */
    forgetPosition(userId: string): void {
      stored.delete(userId);
      storedIndex.remove(userId);
    },

    /** Loads the snapshot now, then checks for changes every `refreshMs`. */
    async start(): Promise<void> {
      await reload();
      const loop = () => {
        timer = clock.setTimeout(() => {
          reload()
            .catch((err) => logger.warn('standby snapshot not refreshed; keeping the last one', { error: String(err) }))
            .finally(() => timer && loop());
        }, deps.refreshMs ?? 30_000);
      };
      loop();
    },

    stop(): void {
      timer?.cancel();
      timer = null;
    },

    stats: () => ({ spots: spots.size, aeds: aedById.size, profiles: profiles.size, loadedAt }),
  };
}

export type Standby = ReturnType<typeof createStandby>;
