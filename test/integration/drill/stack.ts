import type { Database } from '../../../api/db/client.ts';
import type { Clock } from '../../../api/services/clock.ts';
import type { DrillOptions } from '../../../api/services/drill.ts';
import { createTestApp } from '../../support/app.ts';

/** The app wired as in production on the demo campus, with the drill service's options for tests. */
export async function createDrillStack(database: Database, clock: Clock, options: Partial<DrillOptions> = {}) {
  const prepared = await createTestApp(database, { SEED_DEMO: 'true', SOS_PER_MINUTE: '5' }, { clock, drill: options });
  return {
    drills: prepared.services.drills,
    incidentService: prepared.services.incidents,
    volunteerService: prepared.services.volunteers,
    close: () => prepared.close(),
  };
}
