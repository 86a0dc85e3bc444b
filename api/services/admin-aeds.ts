import { randomBytes } from 'node:crypto';
import OpeningHours from 'opening_hours';
import type { Aed, AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository } from '../db/campus-repository.ts';
import { usableNow, type UnusableReason } from '../domain/availability.ts';
import { campusDate } from '../domain/campus-clock.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { DEFAULT_REGISTRY_SOURCE } from '../import/aed-geojson.ts';
import { columnsFromTags, writeColumnsToTags, type AedColumns } from '../import/aed-tags.ts';
import type { Clock } from './clock.ts';
import { floorOf } from './matching.ts';

/** How far ahead the console lists pads and batteries that run out. */
export const EXPIRY_WARNING_DAYS = 30;

/** The fields an admin edits; each maps to an OSM tag (api/import/aed-tags.ts). */
export type AedFields = { lat: number; lng: number; campusId: string | null } & Pick<
  AedColumns,
  'access' | 'indoor' | 'level' | 'openingHours' | 'location' | 'locationZh' | 'locationEn' | 'operator' | 'phone' | 'description' | 'checkDate' | 'padExpiresOn' | 'batteryExpiresOn'
>;

export type AedPatch = Partial<AedFields> & { status?: 'in_service' | 'out_of_service' };

/** An AED as the console shows it: the registry row, whether it can be used now and why not. */
export interface AdminAedView extends Omit<Aed, 'createdAt' | 'updatedAt'> {
  updatedAt: string;
  usableNow: boolean;
  unusableReasons: UnusableReason[];
  /** Days until the pads / battery expire (negative: expired); null without a date. */
  padDaysLeft: number | null;
  batteryDaysLeft: number | null;
}

/**
 * Why `value` is not OSM opening_hours syntax, or null when it is.
 * Parsed as the availability check parses it (mode 0: time ranges), so what passes here is usable there.
 */
export function openingHoursProblem(value: string): string | null {
  // The library reports "<value> <--- (<reason> This means ...)": keep the reason.
  const reasonOf = (message: string) => (message.split('<--- (')[1] ?? message).split(' This means')[0].replace(/\s+/g, ' ').trim().replace(/\)$/, '').slice(0, 200);
  let hours: InstanceType<typeof OpeningHours>;
  try {
    hours = new OpeningHours(value, null, 0);
  } catch (err) {
    return reasonOf(String(err));
  }
  // Values the library only accepts with a warning ("always") are not written to OSM that way.
  const [warning] = hours.getWarnings();
  return warning ? `${reasonOf(warning)} (did you mean "${hours.prettifyValue()}"?)` : null;
}

const DAY_MS = 86_400_000;
const daysFrom = (today: string, day: string | null) => (day === null ? null : Math.round((Date.parse(day) - Date.parse(today)) / DAY_MS));

export interface AdminAedDeps {
  aeds: AedRepository;
  campuses: CampusRepository;
  clock: Clock;
}

/** The AED registry as admins keep it: create, edit, retire, return to service, confirm on site. */
export function createAdminAedService({ aeds, campuses, clock }: AdminAedDeps) {
  async function timezones(): Promise<Map<string, string>> {
    return new Map((await campuses.listCampuses()).map((c) => [c.id, c.timezone]));
  }

  function view(aed: Aed, zones: Map<string, string>, now: Date): AdminAedView {
    const timezone = (aed.campusId && zones.get(aed.campusId)) || 'UTC';
    const availability = usableNow({ ...aed, level: floorOf(aed.level) }, now, { timezone });
    const today = campusDate(now, timezone);
    const { createdAt: _created, updatedAt, ...rest } = aed;
    return {
      ...rest,
      updatedAt: updatedAt.toISOString(),
      usableNow: availability.usable,
      unusableReasons: availability.reasons,
      padDaysLeft: daysFrom(today, aed.padExpiresOn),
      batteryDaysLeft: daysFrom(today, aed.batteryExpiresOn),
    };
  }

  async function views(list: Aed[]): Promise<AdminAedView[]> {
    const zones = await timezones();
    const now = clock.now();
    return list.map((a) => view(a, zones, now));
  }

  async function find(id: string): Promise<Aed> {
    const aed = await aeds.findById(id);
    if (!aed) throw new NotFoundError('No AED with this id');
    return aed;
  }

  async function assertCampus(campusId: string | null | undefined): Promise<void> {
    if (campusId && !(await campuses.findCampusById(campusId))) {
      throw new ValidationError('campusId: no such campus', [{ path: 'campusId', message: 'no such campus' }]);
    }
  }

  /** The AED's columns with `fields` applied, and its tags rewritten to match (one mapping, aed-tags.ts). */
  function withFields(aed: Pick<Aed, 'tags'> & AedColumns, fields: Partial<AedColumns>) {
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const tags = writeColumnsToTags(aed.tags, { ...columnsOf(aed), ...given });
    // Read the columns back from the tags, as an import of the export will: derived columns
    // (the location translations) then agree, and the export round-trips unchanged.
    return { ...columnsFromTags(tags), tags };
  }

  async function save(id: string, patch: Parameters<AedRepository['updateOne']>[1]): Promise<AdminAedView> {
    const updated = await aeds.updateOne(id, patch);
    if (!updated) throw new NotFoundError('No AED with this id');
    return (await views([updated]))[0];
  }

  return {
    async list(filter: Parameters<AedRepository['search']>[0]): Promise<{ aeds: AdminAedView[]; total: number }> {
      const page = await aeds.search(filter);
      return { aeds: await views(page.aeds), total: page.total };
    },

    async get(id: string): Promise<AdminAedView> {
      return (await views([await find(id)]))[0];
    },

    /**
     * Registers an AED. It is keyed like a registry import (source `import`, its `ref`), so the
     * export of the registry re-imports onto the same row.
     * @throws ConflictError AED_REF_TAKEN when another AED has this ref
     */
    async create(input: Partial<AedFields> & Pick<AedFields, 'lat' | 'lng'> & { ref?: string }): Promise<AdminAedView> {
      await assertCampus(input.campusId);
      const { lat, lng, campusId = null, ref = `aed-${randomBytes(5).toString('hex')}`, ...fields } = input;
      const base = { tags: { emergency: 'defibrillator', ref }, ...columnsFromTags({}) };
      const inserted = await aeds.insertOne({
        ...withFields(base, { ...fields, status: 'in_service' }),
        lat,
        lng,
        campusId,
        source: DEFAULT_REGISTRY_SOURCE,
        externalRef: ref,
        osmId: null,
      });
      if (!inserted) throw new ConflictError('AED_REF_TAKEN', `Another AED already has the ref "${ref}"`);
      return (await views([inserted]))[0];
    },

    /**
     * Edits an AED. Status here is only in service / out of service: an AED that was used goes
     * back through `returnToService`, and a retired one stays retired.
     * @throws AppError AED_STATE for a status change its current status does not allow
     */
    async update(id: string, patch: AedPatch): Promise<AdminAedView> {
      const aed = await find(id);
      await assertCampus(patch.campusId);
      if (patch.status === 'in_service' && aed.status !== 'in_service') {
        throw new AppError('AED_STATE', `This AED is ${aed.status}: put it back with "return to service" after checking it`);
      }
      if (patch.status !== undefined && aed.status === 'retired') throw new AppError('AED_STATE', 'This AED is retired');
      const { lat, lng, campusId, ...fields } = patch;
      const position = lat !== undefined || lng !== undefined ? { lat: lat ?? aed.lat, lng: lng ?? aed.lng } : {};
      return save(id, { ...withFields(aed, fields), ...position, ...(campusId !== undefined ? { campusId } : {}) });
    },

    /** Takes an AED out of the registry's service for good (kept for history and the export). */
    async retire(id: string): Promise<AdminAedView> {
      const aed = await find(id);
      return save(id, { ...withFields(aed, { status: 'retired' }), claimedByIncidentId: null });
    },

    /**
     * Puts a used or broken AED back in service once an admin has checked it: new pads (a future
     * expiry date), optionally a new battery; records today as its check date.
     * @throws AppError AED_STATE unless it is in use or out of service; ValidationError for pads already expired
     */
    async returnToService(id: string, input: { padExpiresOn: string; batteryExpiresOn?: string }): Promise<AdminAedView> {
      const aed = await find(id);
      if (aed.status !== 'in_use' && aed.status !== 'out_of_service') {
        throw new AppError('AED_STATE', `Only an AED in use or out of service returns to service; this one is ${aed.status}`);
      }
      const today = campusDate(clock.now(), (await timezones()).get(aed.campusId ?? '') ?? 'UTC');
      for (const [key, value] of Object.entries(input)) {
        if (value !== undefined && value < today) throw new ValidationError(`${key}: must not be in the past`, [{ path: key, message: 'must not be in the past' }]);
      }
      const fields = { status: 'in_service' as const, checkDate: today, padExpiresOn: input.padExpiresOn, batteryExpiresOn: input.batteryExpiresOn ?? aed.batteryExpiresOn };
      return save(id, { ...withFields(aed, fields), claimedByIncidentId: null });
    },

    /** An admin saw the AED on site and it is fine: `check_date` becomes today (campus date). */
    async confirmOnSite(id: string): Promise<AdminAedView> {
      const aed = await find(id);
      const today = campusDate(clock.now(), (await timezones()).get(aed.campusId ?? '') ?? 'UTC');
      return save(id, withFields(aed, { checkDate: today }));
    },

    /** AEDs whose pads or battery expired or expire within `withinDays`, soonest first. */
    async expiring(withinDays = EXPIRY_WARNING_DAYS): Promise<AdminAedView[]> {
      const lastDay = new Date(clock.now().getTime() + withinDays * DAY_MS).toISOString().slice(0, 10);
      return views(await aeds.listExpiringBy(lastDay));
    },
  };
}

function columnsOf(aed: AedColumns): AedColumns {
  const keys = Object.keys(columnsFromTags({})) as (keyof AedColumns)[];
  return Object.fromEntries(keys.map((k) => [k, aed[k]])) as unknown as AedColumns;
}

export type AdminAedService = ReturnType<typeof createAdminAedService>;
