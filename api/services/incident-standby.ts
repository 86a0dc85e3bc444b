/**
 * SOS while the database is unreachable. The alert must not wait for storage: the incident is planned
 * from memory (standby.ts), its alerts go at once to the volunteers connected to this process as
 * unsequenced frames, and it is kept in a journal (memory, and a file that survives a restart) until
 * a retry loop writes it with its plan. The stored incident then sends its alerts again, sequenced,
 * to every device of every alerted volunteer; clients treat an alert for a known incident as the same alert.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DispatchRow, IncidentRow } from '../db/incident-repository.ts';
import type { NewOutboxEvent } from '../db/outbox-repository.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError, DATABASE_UNAVAILABLE_MESSAGE } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';
import { alertEvents, createdData, incidentRecipient, nearestForBystander, newIncidentRow, patientFromSpot, plannedDispatches, spotText, type IncidentLogEntry } from './incident-rules.ts';
import { bystanderView, type AedBrief, type BystanderView, type NearestAedView } from './incident-views.ts';
import type { CreateIncidentInput } from './incidents.ts';
import type { IncidentPlanner, PlanOutcome } from './planner.ts';
import type { Standby } from './standby.ts';

/** An SOS raised without the database, until it is written. */
export interface PendingSos {
  incident: IncidentRow;
  plan: PlanOutcome;
  dispatches: DispatchRow[];
  nearest: NearestAedView[];
  createdData: Record<string, unknown>;
}

export interface StandbyIncidentDeps {
  standby: Pick<Standby, 'qrSpot' | 'source'>;
  /** The matching engine over the standby source. */
  planner: IncidentPlanner;
  /** Sends events to this process's connections without storing them (frames with `seq: null`). */
  deliverUnsaved(events: NewOutboxEvent[]): void;
  /** Writes a pending SOS; 'duplicate' when its request is already stored. */
  persist(pending: PendingSos, extraLog: IncidentLogEntry[]): Promise<'written' | 'duplicate'>;
  /** Rate limits, as for any SOS. */
  takeLimits(input: CreateIncidentInput, spotId: string): void;
  /** Called once an incident is stored (escalation timing starts). */
  onWritten(incident: IncidentRow): void;
  /** A second SOS at the same spot within this window joins the pending one. */
  joinWindowMs: number;
  /** Folder of the journal file; none keeps the journal in memory only. */
  journalDir?: string;
  clock: Clock;
  logger: Logger;
  retryMs?: number;
}

/** Retries back off to this: after a long outage the SOS is still stored within two seconds of the database's return. */
const MAX_RETRY_MS = 2_000;

export function createStandbyIncidents(deps: StandbyIncidentDeps) {
  const { clock, logger } = deps;
  const pending = new Map<string, PendingSos>();
  const journalFile = deps.journalDir ? path.join(deps.journalDir, `pending-sos-${process.pid}-${Date.now().toString(36)}.json`) : null;
  let retryTimer: { cancel(): void } | null = null;
  let retryMs = deps.retryMs ?? 1_000;
  let flushing: Promise<void> | null = null;
  let journalWrite: Promise<void> = Promise.resolve();

  /** Rewrites the journal file atomically (temporary file, then rename). */
  function saveJournal(): Promise<void> {
    if (!journalFile) return Promise.resolve();
    const items = [...pending.values()].map((p) => ({ ...p, plan: { ...p.plan, aeds: [...p.plan.aeds.entries()] } }));
    journalWrite = journalWrite.then(async () => {
      try {
        if (items.length === 0) {
          await rm(journalFile, { force: true });
          return;
        }
        await mkdir(path.dirname(journalFile), { recursive: true });
        await writeFile(`${journalFile}.tmp`, JSON.stringify(items));
        await rename(`${journalFile}.tmp`, journalFile);
      } catch (err) {
        logger.error('could not save the pending SOS journal', { error: String(err) });
      }
    });
    return journalWrite;
  }

  function scheduleRetry() {
    if (retryTimer || pending.size === 0) return;
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      void flush();
    }, retryMs);
  }

  /** Writes every pending SOS, oldest first; stops at the first that still cannot be written. */
  function flush(): Promise<void> {
    flushing ??= (async () => {
      try {
        for (const item of [...pending.values()].sort((a, b) => a.incident.createdAt.getTime() - b.incident.createdAt.getTime())) {
          const late = { incidentId: item.incident.id, type: 'recorded_late', at: clock.now(), data: { raisedAt: item.incident.createdAt.toISOString(), delayMs: clock.now().getTime() - item.incident.createdAt.getTime() } };
          try {
            const outcome = await deps.persist(item, [late]);
            pending.delete(item.incident.id);
            retryMs = deps.retryMs ?? 1_000;
            logger.info('SOS raised without the database is now stored', { incidentId: item.incident.id, outcome, delayMs: late.data.delayMs });
            if (outcome === 'written') deps.onWritten(item.incident);
          } catch (err) {
            if (!isDatabaseUnavailable(err)) logger.error('could not store a pending SOS; retrying', { incidentId: item.incident.id, error: String(err) });
            retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
            break;
          }
        }
        await saveJournal();
      } finally {
        flushing = null;
        scheduleRetry();
      }
    })();
    return flushing;
  }

  function statusEvent(item: PendingSos): NewOutboxEvent {
    return { recipient: incidentRecipient(item.incident.id), incidentId: item.incident.id, type: 'status', payload: { view: viewOf(item) } };
  }

  function viewOf(item: PendingSos): BystanderView {
    return bystanderView(item.incident, item.dispatches, spotText(item.incident), item.nearest, clock.now());
  }

  return {
    /** The pending SOS of a client request id, if any. */
    findRequest(clientRequestId: string): PendingSos | undefined {
      for (const p of pending.values()) if (p.incident.clientRequestId === clientRequestId) return p;
      return undefined;
    },

    /** The bystander's view of a pending SOS. */
    view(incidentId: string): BystanderView | undefined {
      const item = pending.get(incidentId);
      return item && viewOf(item);
    },

    /** Volunteers alerted by pending SOS: not planned again until those are stored. */
    busyVolunteerIds(): Set<string> {
      return new Set([...pending.values()].flatMap((p) => p.dispatches.map((d) => d.volunteerId)));
    },

    /**
     * Raises an SOS from memory: plans over the volunteers connected here, alerts them now, journals it.
     * @throws AppError DATABASE_UNAVAILABLE when the QR code is not in the snapshot; RATE_LIMITED
     */
    async create(input: CreateIncidentInput, attempt: { incidentId: string; limited: boolean }) {
      const spot = deps.standby.qrSpot(input.qrCode);
      if (!spot) throw new AppError('DATABASE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
      const now = clock.now();
      const joined = [...pending.values()].find((p) => p.incident.qrSpotId === spot.id && p.incident.isDrill === !!input.isDrill && now.getTime() - p.incident.createdAt.getTime() < deps.joinWindowMs);
      if (joined) return { incident: joined.incident, created: false, view: viewOf(joined) };
      if (!attempt.limited) deps.takeLimits(input, spot.id);

      const patient = patientFromSpot(spot, input.gps);
      const exclude = this.busyVolunteerIds();
      const [plan, nearest] = await Promise.all([
        deps.planner.plan({ campusId: spot.campusId, patient, at: now, excludeVolunteerIds: exclude, radiusFactor: 1, needCpr: true, needAed: true, drill: !!input.isDrill }),
        nearestForBystander(deps.planner, patient, now),
      ]);
      const incident = newIncidentRow({ id: attempt.incidentId, spot, patient, clientRequestId: input.clientRequestId, gps: input.gps, isDrill: !!input.isDrill, plan, now });
      const dispatches = plannedDispatches(incident, plan, 1, now, new Set());
      const item: PendingSos = { incident, plan, dispatches, nearest, createdData: { ...createdData(spot, input), raisedWithoutDatabase: true } };
      pending.set(incident.id, item);
      deps.deliverUnsaved([...alertEvents(incident, dispatches, plan), statusEvent(item)]);
      logger.warn('SOS raised from memory; it will be stored when the database is back', { incidentId: incident.id, alerted: dispatches.length });
      await saveJournal();
      scheduleRetry();
      return { incident, created: true, view: viewOf(item) };
    },

    /** Loads journals left by earlier runs (a restart while the database was down) and writes them. */
    async recover(): Promise<number> {
      if (!deps.journalDir) return 0;
      const files = await readdir(deps.journalDir).catch(() => [] as string[]);
      let loaded = 0;
      for (const name of files.filter((f) => /^pending-sos-.*\.json$/.test(f))) {
        const file = path.join(deps.journalDir, name);
        if (file === journalFile) continue;
        try {
          for (const raw of JSON.parse(await readFile(file, 'utf8')) as unknown[]) {
            const item = reviveSos(raw);
            if (!pending.has(item.incident.id)) pending.set(item.incident.id, item);
            loaded++;
          }
        } catch (err) {
          logger.error('unreadable pending SOS journal kept for an operator', { file, error: String(err) });
          continue;
        }
        // Taken over: this process's journal holds them from now on.
        await saveJournal();
        await rm(file, { force: true });
      }
      if (loaded > 0) {
        logger.warn('writing SOS raised while the database was down before the last restart', { count: loaded });
        await flush();
      }
      return loaded;
    },

    flush,
    pendingCount: () => pending.size,

    stop() {
      retryTimer?.cancel();
      retryTimer = null;
    },
  };
}

export type StandbyIncidents = ReturnType<typeof createStandbyIncidents>;

/** A journal entry back to a PendingSos: dates revived, the plan's AED map rebuilt. */
function reviveSos(raw: unknown): PendingSos {
  const r = raw as PendingSos & { plan: PlanOutcome & { aeds: [string, AedBrief][] } };
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    incident: { ...r.incident, createdAt: date(r.incident.createdAt)!, closedAt: date(r.incident.closedAt) },
    plan: { ...r.plan, aeds: new Map(r.plan.aeds) },
    dispatches: r.dispatches.map((d) => ({ ...d, alertedAt: date(d.alertedAt)!, answeredAt: date(d.answeredAt), arrivedAt: date(d.arrivedAt), positionAt: date(d.positionAt) })),
    nearest: r.nearest,
    createdData: r.createdData,
  };
}
