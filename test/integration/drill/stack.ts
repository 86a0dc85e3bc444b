import { randomBytes } from 'node:crypto';
import { createAedRepository } from '../../../api/db/aed-repository.ts';
import { createCampusRepository } from '../../../api/db/campus-repository.ts';
import type { Database } from '../../../api/db/client.ts';
import { createIncidentRepository } from '../../../api/db/incident-repository.ts';
import { createOutboxRepository } from '../../../api/db/outbox-repository.ts';
import { createSettingsRepository } from '../../../api/db/settings-repository.ts';
import { createUserRepository } from '../../../api/db/user-repository.ts';
import { createVolunteerRepository } from '../../../api/db/volunteer-repository.ts';
import { DEMO_CAMPUS_DIR } from '../../../api/import/geo-data.ts';
import { createLogger } from '../../../api/logger.ts';
import { createInProcessBus } from '../../../api/realtime/bus.ts';
import { createHub } from '../../../api/realtime/hub.ts';
import type { Clock } from '../../../api/services/clock.ts';
import { createDrillService, type DrillOptions } from '../../../api/services/drill.ts';
import { createIncidentService } from '../../../api/services/incidents.ts';
import { briefOf, createMatchingService } from '../../../api/services/matching.ts';
import { createRateLimiter } from '../../../api/services/rate-limiter.ts';
import { seedCampusIfEmpty } from '../../../api/services/seed.ts';
import { createVolunteerService } from '../../../api/services/volunteers.ts';

/**
 * The live services wired as api/server.ts `prepareApp` wires them, plus the drill service (the
 * server does not construct it yet). Same database, same server secret: an app started on the same
 * database serves these incidents' bystander views.
 */
export async function createDrillStack(database: Database, clock: Clock, options: Partial<DrillOptions> = {}) {
  const logger = createLogger('silent');
  const db = database.db;
  const campuses = createCampusRepository(db);
  const aeds = createAedRepository(db);
  await seedCampusIfEmpty({ campuses, aeds }, DEMO_CAMPUS_DIR);
  const outbox = createOutboxRepository(db);
  const secret = await createSettingsRepository(db).getOrCreate('server_secret', () => randomBytes(32).toString('base64url'));
  const bus = createInProcessBus(createHub(outbox));
  await bus.start();
  let incidentService: ReturnType<typeof createIncidentService> | undefined;
  const volunteerService = createVolunteerService({ volunteers: createVolunteerRepository(db), clock, logger, onMoved: (userId, p) => incidentService!.trackResponder(userId, p) });
  const matching = createMatchingService({
    campuses,
    aeds,
    volunteers: createVolunteerRepository(db),
    incidents: createIncidentRepository(db),
    livePositions: () => volunteerService.livePositions(),
    liveNear: (point, radiusM) => volunteerService.liveNear(point, radiusM),
  });
  await matching.warm();
  incidentService = createIncidentService({
    database,
    planner: matching,
    outbox,
    publish: (events) => bus.publish(events),
    findQrSpot: (code) => campuses.findQrSpotByCode(code),
    aedClaims: {
      claim: (aedId, incidentId, tx) => aeds.claim(aedId, incidentId, tx),
      release: (incidentId, tx, aedId) => aeds.release(incidentId, tx, aedId),
      markInUse: (aedId, tx) => aeds.markInUse(aedId, tx),
      briefs: async (ids, tx) => new Map((await createAedRepository(tx).findByIds(ids)).map((a) => [a.id, briefOf(a)])),
    },
    limits: { perClient: createRateLimiter({ burst: 5, perMinute: 5, clock }), perSpot: createRateLimiter({ burst: 5, perMinute: 5, clock }) },
    clock,
    logger,
    secret,
  });
  const drills = createDrillService({
    users: createUserRepository(db),
    campuses,
    aeds,
    incidents: createIncidentRepository(db),
    volunteerService,
    incidentService,
    clock,
    logger,
    options,
  });
  return {
    drills,
    incidentService,
    volunteerService,
    async close() {
      drills.stop();
      incidentService!.stop();
      await volunteerService.stop();
      await bus.stop();
    },
  };
}
