/**
 * The admins' drill button: one simulated incident on the live system. Simulated volunteer accounts
 * ("演练志愿者 Drill volunteer N") go on duty on the walkways near a QR spot, an SOS marked as a drill
 * is raised there, and the simulated volunteers answer with sampled delays, walk their routes at
 * their sampled speeds (position updates) and report their arrival, all through the live services.
 * The drill plans its simulated volunteers only (users.isDrill): no real volunteer is alerted, and a
 * real SOS during the drill never plans a simulated one (PlanRequest.drill).
 * Sampling is the simulator's (api/domain/simulation); every wait runs on the injected clock.
 */
import { randomUUID } from 'node:crypto';
import type { AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository, QrSpotRow } from '../db/campus-repository.ts';
import type { DispatchRow, IncidentRepository } from '../db/incident-repository.ts';
import type { UserRepository } from '../db/user-repository.ts';
import { resolveDispatchConfig, type DispatchConfig } from '../domain/config.ts';
import { volunteersNear, type SimVolunteer } from '../domain/simulation/drill.ts';
import { resolveSimulationParams, type SimulationParams } from '../domain/simulation/params.ts';
import { responderTrip, type Trip } from '../domain/simulation/route.ts';
import type { LatLng } from '../domain/types.ts';
import { buildWalkingGraph, type WalkingGraph } from '../domain/walking-graph.ts';
import { AppError, NotFoundError, RateLimitedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';
import type { IncidentService, RespondAction } from './incidents.ts';
import { floorOf } from './matching.ts';
import type { VolunteerService } from './volunteers.ts';

export interface DrillOptions {
  /** How often the simulated volunteers act (answer, move, arrive), ms. */
  tickMs: number;
  /** Simulated volunteers are placed on walkways within this straight-line distance of the QR spot, metres. */
  radiusM: number;
  /** Volunteers not alerted after this long will not be (the incident service widens twice, 45 s apart), ms. */
  alertWindowMs: number;
  /** When everyone is done, the incident stays open this long for the admin to watch, then is resolved, ms. */
  closeAfterMs: number;
  /** A drill ends after this long whatever happens, ms. */
  maxDurationMs: number;
  /** Acceptance, delays and speeds: the simulator's documented defaults unless overridden. */
  params: Partial<SimulationParams>;
}

export const DEFAULT_DRILL_OPTIONS: DrillOptions = { tickMs: 5_000, radiusM: 400, alertWindowMs: 100_000, closeAfterMs: 60_000, maxDurationMs: 15 * 60_000, params: {} };

export interface DrillServiceDeps {
  users: UserRepository;
  campuses: CampusRepository;
  aeds: AedRepository;
  incidents: IncidentRepository;
  volunteerService: VolunteerService;
  incidentService: IncidentService;
  clock: Clock;
  logger: Logger;
  /** The matching engine's overrides, so drill routes use the same walking graph settings. */
  dispatch?: Partial<DispatchConfig>;
  options?: Partial<DrillOptions>;
}

export interface StartDrillInput {
  /** The QR spot of the simulated SOS; default the first active spot of the first campus. */
  qrCode?: string;
  /** Simulated volunteers, 1-12; default 6. */
  volunteers?: number;
  /** Seed of the sampled positions, answers and speeds; default from the clock. */
  seed?: number;
}

/** A simulated volunteer as the drill placed and sampled them. */
export type DrillVolunteerView = { userId: string; displayName: string; speedMps: number; willAccept: boolean; answerAfterS: number } & LatLng;

export interface DrillReport {
  incidentId: string;
  outcome: 'completed' | 'closed' | 'timed_out' | 'failed';
  volunteers: { displayName: string; answer: Actor['answer']; role: DispatchRow['role'] | null; arrivedAfterS: number | null }[];
}

interface Actor {
  userId: string;
  displayName: string;
  sim: SimVolunteer;
  answer: 'pending' | 'accepted' | 'declined' | 'silent';
  role: DispatchRow['role'] | null;
  trip: { trip: Trip; departMs: number } | null;
  arrivedAfterS: number | null;
}

interface Running {
  incidentId: string;
  patient: LatLng & { level: number | null };
  graph: WalkingGraph;
  startedMs: number;
  actors: Actor[];
  settledMs: number | null;
  timer: { cancel(): void } | null;
  chain: Promise<void>;
  finish(report: DrillReport): void;
}

const DRILL_PASSWORD_HASH = 'drill-account: no password, cannot sign in';
/** The name of drill account n: marked as a drill wherever volunteers are listed. */
export const drillDisplayName = (n: number) => `演练志愿者 Drill volunteer ${n}`;

/** Runs one drill at a time on the live services. */
export function createDrillService(deps: DrillServiceDeps) {
  const options = { ...DEFAULT_DRILL_OPTIONS, ...deps.options };
  const params = resolveSimulationParams(options.params);
  const config = resolveDispatchConfig(deps.dispatch);
  const { clock, logger } = deps;
  const graphs = new Map<string, WalkingGraph>();
  let running: Running | null = null;

  async function spotFor(qrCode: string | undefined): Promise<QrSpotRow> {
    if (qrCode !== undefined) {
      const spot = await deps.campuses.findQrSpotByCode(qrCode);
      if (!spot) throw new AppError('UNKNOWN_QR_CODE', 'This QR code is not registered');
      return spot;
    }
    const [campus] = await deps.campuses.listCampuses();
    const spot = campus && (await deps.campuses.listQrSpots(campus.id)).find((s) => s.active);
    if (!spot) throw new NotFoundError('No active QR spot to hold a drill at');
    return spot;
  }

  async function graphOf(campusId: string): Promise<WalkingGraph> {
    let graph = graphs.get(campusId);
    if (graph === undefined) {
      const walkways = await deps.campuses.listWalkways(campusId);
      if (walkways.length === 0) throw new NotFoundError('This campus has no walkways to place drill volunteers on');
      graph = buildWalkingGraph(
        walkways.map((w) => ({ coords: (w.geometry as { coordinates: [number, number][] }).coordinates.map(([lng, lat]) => ({ lat, lng })), nodeIds: w.nodeIds ?? undefined, highway: w.highway, steps: w.isSteps })),
        config,
      );
      graphs.set(campusId, graph);
    }
    return graph;
  }

  /** The drill accounts 1..count: created on first use, verified, never able to sign in. */
  async function accounts(count: number) {
    const out = [];
    for (let n = 1; n <= count; n++) {
      const email = `drill-volunteer-${n}@drill.invalid`;
      const displayName = drillDisplayName(n);
      const row =
        (await deps.users.findByEmail(email)) ??
        (await deps.users.insert({ email, passwordHash: DRILL_PASSWORD_HASH, displayName, role: 'volunteer', verification: 'verified', verifiedAt: clock.now(), isDrill: true })) ??
        (await deps.users.findByEmail(email))!;
      // Never adopt a person's account that holds the address (registration refuses .invalid ones).
      if (row.passwordHash !== DRILL_PASSWORD_HASH) throw new AppError('DRILL_ACCOUNT_TAKEN', `${email} belongs to an account that is not a drill's`);
      if (row.verification !== 'verified' || row.displayName !== displayName || !row.isDrill) await deps.users.update(row.id, { verification: 'verified', displayName, certificateExpiresOn: null, isDrill: true });
      out.push({ userId: row.id, displayName });
    }
    return out;
  }

  /** One answer through the live incident service; a stale or closed answer ends that volunteer's part. */
  async function answer(drill: Running, actor: Actor, action: RespondAction): Promise<DispatchRow | null> {
    try {
      return await deps.incidentService.respond(actor.userId, drill.incidentId, action);
    } catch (error) {
      if (!(error instanceof AppError) || !['INCIDENT_CLOSED', 'DISPATCH_STATE', 'NOT_FOUND'].includes(error.code)) throw error;
      logger.warn('drill answer refused', { incidentId: drill.incidentId, action, code: error.code });
      if (actor.answer === 'pending') actor.answer = 'silent';
      actor.trip = null;
      return null;
    }
  }

  async function tripFor(drill: Running, actor: Actor, dispatch: DispatchRow): Promise<Trip> {
    const [aed] = dispatch.role === 'aed' && dispatch.aedId ? await deps.aeds.findByIds([dispatch.aedId]) : [];
    return responderTrip(drill.graph, config, actor.sim.position, drill.patient, actor.sim.speedMps, aed ? { ...aed, level: floorOf(aed.level) } : null);
  }

  /** One step of every simulated volunteer: answer when due, move, arrive. */
  async function act(drill: Running, actor: Actor, dispatch: DispatchRow | undefined, nowMs: number): Promise<void> {
    if (!dispatch) return;
    if (actor.answer === 'pending' && nowMs >= dispatch.alertedAt.getTime() + actor.sim.answerDelayS * 1000) {
      if (!(actor.sim.acceptDraw < params.acceptProbability)) {
        actor.answer = actor.sim.declines ? 'declined' : 'silent';
        if (actor.sim.declines) await answer(drill, actor, 'decline');
        return;
      }
      const accepted = await answer(drill, actor, 'accept');
      if (!accepted) return;
      actor.answer = 'accepted';
      actor.role = accepted.role;
      actor.trip = { trip: await tripFor(drill, actor, accepted), departMs: nowMs };
    }
    if (actor.trip === null || actor.arrivedAfterS !== null) return;
    const elapsedS = (nowMs - actor.trip.departMs) / 1000;
    await deps.volunteerService.updatePosition(actor.userId, { ...actor.trip.trip.positionAt(elapsedS), accuracyM: 5, level: null });
    if (elapsedS >= actor.trip.trip.durationS && (await answer(drill, actor, 'arrived'))) actor.arrivedAfterS = Math.round((nowMs - drill.startedMs) / 1000);
  }

  async function tick(drill: Running): Promise<void> {
    const nowMs = clock.now().getTime();
    const incident = await deps.incidents.findById(drill.incidentId);
    if (!incident || incident.state !== 'open') return end(drill, 'closed');
    const dispatches = new Map((await deps.incidents.listDispatches(drill.incidentId)).map((d) => [d.volunteerId, d]));
    for (const actor of drill.actors) await act(drill, actor, dispatches.get(actor.userId), nowMs);
    const done = drill.actors.every((a) => (dispatches.has(a.userId) ? a.answer !== 'pending' && (a.trip === null || a.arrivedAfterS !== null) : nowMs - drill.startedMs >= options.alertWindowMs));
    if (done && drill.settledMs === null) drill.settledMs = nowMs;
    if (drill.settledMs !== null && nowMs - drill.settledMs >= options.closeAfterMs) return end(drill, 'completed');
    if (nowMs - drill.startedMs >= options.maxDurationMs) return end(drill, 'timed_out');
  }

  /** Ends the drill: resolves the incident if still open, takes the drill accounts off duty. */
  async function end(drill: Running, outcome: DrillReport['outcome']): Promise<void> {
    drill.timer?.cancel();
    drill.timer = null;
    if (running === drill) running = null;
    try {
      if (outcome !== 'closed') await deps.incidentService.close(drill.incidentId, 'resolved', null);
      for (const a of drill.actors) await deps.volunteerService.setDuty(a.userId, false);
    } finally {
      drill.finish({
        incidentId: drill.incidentId,
        outcome,
        volunteers: drill.actors.map((a) => ({ displayName: a.displayName, answer: a.answer, role: a.role, arrivedAfterS: a.arrivedAfterS })),
      });
    }
  }

  function schedule(drill: Running): void {
    drill.timer = clock.setTimeout(() => {
      if (running !== drill) return;
      schedule(drill);
      // A background task nobody awaits: a failure is logged and ends the drill (the report says so).
      drill.chain = drill.chain
        .then(() => (running === drill ? tick(drill) : undefined))
        .catch((error: unknown) => {
          logger.error('drill failed', { incidentId: drill.incidentId, error: String(error) });
          return end(drill, 'failed');
        })
        .catch((error: unknown) => logger.error('drill clean-up failed', { incidentId: drill.incidentId, error: String(error) }));
    }, options.tickMs);
  }

  return {
    /**
     * Starts a drill: accounts on duty near the spot, an SOS marked as a drill, then the simulated
     * volunteers act every tick until they are done.
     * @throws RateLimitedError while another drill runs; AppError UNKNOWN_QR_CODE, DRILL_ACCOUNT_TAKEN; NotFoundError without a spot or walkways
     */
    async start(input: StartDrillInput = {}) {
      if (running) throw new RateLimitedError('A drill is already running; wait until it ends', Math.ceil(options.maxDurationMs / 1000));
      const spot = await spotFor(input.qrCode);
      const graph = await graphOf(spot.campusId);
      const seed = input.seed ?? clock.now().getTime() % 2 ** 31;
      const sims = volunteersNear(graph, spot, options.radiusM, input.volunteers ?? 6, params, seed);
      const people = await accounts(sims.length);
      const actors: Actor[] = people.map((p, i) => ({ ...p, sim: sims[i], answer: 'pending', role: null, trip: null, arrivedAfterS: null }));
      let created: Awaited<ReturnType<IncidentService['create']>>;
      try {
        for (const a of actors) {
          await deps.volunteerService.setDuty(a.userId, true);
          await deps.volunteerService.updatePosition(a.userId, { ...a.sim.position, accuracyM: 5, level: null });
        }
        created = await deps.incidentService.create({ qrCode: spot.code, clientRequestId: `drill-${randomUUID()}`, clientKey: 'drill', isDrill: true });
      } catch (error) {
        // No drill without its incident: the simulated volunteers must not stay on duty with nothing to answer.
        for (const a of actors) await deps.volunteerService.setDuty(a.userId, false);
        throw error;
      }
      let finish!: (report: DrillReport) => void;
      const finished = new Promise<DrillReport>((resolve) => (finish = resolve));
      const { id: incidentId, lat, lng, level } = created.incident;
      const drill: Running = { incidentId, patient: { lat, lng, level }, graph, startedMs: clock.now().getTime(), actors, settledMs: null, timer: null, chain: Promise.resolve(), finish };
      running = drill;
      schedule(drill);
      logger.info('drill started', { incidentId: drill.incidentId, qrCode: spot.code, volunteers: actors.length, seed });
      const volunteers: DrillVolunteerView[] = actors.map((a) => ({ userId: a.userId, displayName: a.displayName, ...a.sim.position, speedMps: a.sim.speedMps, willAccept: a.sim.acceptDraw < params.acceptProbability, answerAfterS: Math.round(a.sim.answerDelayS) }));
      return { incidentId: drill.incidentId, publicToken: created.publicToken, qrCode: spot.code, volunteers, finished };
    },

    /** Resolves once the current drill's pending work is done (tests call it after advancing a fake clock). */
    async idle(): Promise<void> {
      await running?.chain;
    },

    /** Stops the running drill's timer (shutdown); the incident is left as it is. */
    stop(): void {
      running?.timer?.cancel();
      running = null;
    },
  };
}

export type DrillService = ReturnType<typeof createDrillService>;
