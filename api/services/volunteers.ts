import type { PositionUpdate, VolunteerRepository } from '../db/volunteer-repository.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { H3PointIndex } from '../domain/h3-index.ts';
import type { Clock } from './clock.ts';

export interface LivePosition {
  lat: number;
  lng: number;
  level: number | null;
  accuracyM: number | null;
  at: Date;
}

export interface VolunteerServiceDeps {
  volunteers: VolunteerRepository;
  clock: Clock;
  logger: Logger;
  /** Called for every accepted position; the incident service shows en-route responders to bystanders. */
  onMoved?(userId: string, position: LivePosition): Promise<void>;
  /** Called when a volunteer goes on or off duty here. */
  onDutyChanged?(userId: string, onDuty: boolean): void;
  /** Positions are written to the database at most this often, in one batch. */
  flushIntervalMs?: number;
}

/**
 * Duty and positions. A position is usable for planning the moment it arrives (held in memory here)
 * and reaches the database in throttled batches, where other API processes read it.
 */
export function createVolunteerService(deps: VolunteerServiceDeps) {
  const { volunteers, clock, logger } = deps;
  const live = new Map<string, LivePosition>();
  /** The same live positions in the H3 index: the planner's candidates near a patient, at once. */
  const index = new H3PointIndex();
  const onDuty = new Set<string>();
  let pending = new Map<string, PositionUpdate>();
  let timer: { cancel(): void } | null = null;
  let flushing: Promise<void> = Promise.resolve();

  async function isOnDuty(userId: string): Promise<boolean> {
    if (onDuty.has(userId)) return true;
    const duty = await volunteers.getDuty(userId);
    if (duty?.onDuty) onDuty.add(userId);
    return !!duty?.onDuty;
  }

  function scheduleFlush() {
    if (timer) return;
    timer = clock.setTimeout(() => {
      timer = null;
      void service.flush();
    }, deps.flushIntervalMs ?? 2_000);
  }

  const service = {
    async setDuty(userId: string, on: boolean): Promise<void> {
      await volunteers.setDuty(userId, on, clock.now());
      if (on) onDuty.add(userId);
      else {
        onDuty.delete(userId);
        live.delete(userId);
        index.remove(userId);
        pending.delete(userId);
      }
      deps.onDutyChanged?.(userId, on);
    },

    /** @throws AppError NOT_ON_DUTY: positions are only taken while on duty. */
    async updatePosition(userId: string, p: { lat: number; lng: number; accuracyM?: number; level?: number | null }): Promise<void> {
      if (!(await isOnDuty(userId))) throw new AppError('NOT_ON_DUTY', 'Go on duty to share your position');
      const position: LivePosition = { lat: p.lat, lng: p.lng, level: p.level ?? null, accuracyM: p.accuracyM ?? null, at: clock.now() };
      live.set(userId, position);
      index.upsert(userId, position);
      pending.set(userId, { userId, ...position });
      scheduleFlush();
      await deps.onMoved?.(userId, position);
    },

    /** Positions this process received, fresher than the database's. */
    livePositions(): ReadonlyMap<string, LivePosition> {
      return live;
    },

    /** Ids of the volunteers this process holds within `radiusM` of a point (exact, via the H3 index). */
    liveNear(point: { lat: number; lng: number }, radiusM: number): string[] {
      return index.within(point, radiusM).map((p) => p.id);
    },

    /** Writes queued positions; a failed write is retried with the next batch, never dropped silently. */
    async flush(): Promise<void> {
      const batch = pending;
      if (batch.size === 0) return flushing;
      pending = new Map();
      flushing = flushing.then(async () => {
        try {
          await volunteers.savePositions([...batch.values()]);
        } catch (err) {
          for (const [k, v] of batch) if (!pending.has(k)) pending.set(k, v);
          logger.warn('position flush failed; will retry', { count: batch.size, error: String(err) });
          scheduleFlush();
        }
      });
      return flushing;
    },

    async status(userId: string) {
      const duty = await volunteers.getDuty(userId);
      const position = live.get(userId);
      return {
        onDuty: !!duty?.onDuty,
        dutySince: duty?.dutySince?.toISOString() ?? null,
        position: position ? { lat: position.lat, lng: position.lng, at: position.at.toISOString() } : duty?.lat != null && duty.lng != null ? { lat: duty.lat, lng: duty.lng, at: duty.positionAt?.toISOString() ?? null } : null,
      };
    },

    async stop(): Promise<void> {
      timer?.cancel();
      timer = null;
      await service.flush();
    },
  };
  return service;
}

export type VolunteerService = ReturnType<typeof createVolunteerService>;
