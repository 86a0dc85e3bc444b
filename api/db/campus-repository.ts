import { and, asc, eq, sql } from 'drizzle-orm';
import { anyOf } from './any-of.ts';
import type { Db } from './client.ts';
import { preparedQuery } from './prepared.ts';
import { cellOf } from './h3-column.ts';
import { buildings, campuses, qrSpots, walkways } from './schema/index.ts';

export type CampusRow = typeof campuses.$inferSelect;
export type BuildingRow = typeof buildings.$inferSelect;
export type WalkwayRow = typeof walkways.$inferSelect;
export type QrSpotRow = typeof qrSpots.$inferSelect;

export interface CampusLoad {
  campus: Omit<typeof campuses.$inferInsert, 'id' | 'createdAt'>;
  buildings: Omit<typeof buildings.$inferInsert, 'id' | 'campusId'>[];
  walkways: Omit<typeof walkways.$inferInsert, 'id' | 'campusId'>[];
  /** QR spots name their building by OSM id; spots keep their codes across re-imports. */
  qrSpots: (Omit<typeof qrSpots.$inferInsert, 'id' | 'campusId' | 'buildingId' | 'h3Cell'> & { buildingOsmId?: string })[];
}

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The active QR spot of a code: read by every SOS and every scan. */
const activeSpotByCode = preparedQuery<QrSpotRow[], { code: string }>('qr_spots_active_by_code', (db, name) =>
  db
    .select()
    .from(qrSpots)
    .where(and(eq(qrSpots.code, sql.placeholder('code')), eq(qrSpots.active, true)))
    .prepare(name),
);

/** Campuses, their buildings, walkways and QR spots. */
export function createCampusRepository(db: Db) {
  return {
    /**
     * Writes a campus in one transaction: the campus row and buildings are upserted by slug and OSM id,
     * walkways are replaced (the walking network is rebuilt from the newest extract), and QR spots are
     * upserted by code so printed codes keep working and admin-made spots are kept.
     */
    async saveCampus(load: CampusLoad): Promise<{ campusId: string; buildings: number; walkways: number; qrSpots: number }> {
      return db.transaction(async (tx) => {
        const [campus] = await tx
          .insert(campuses)
          .values(load.campus)
          .onConflictDoUpdate({ target: campuses.slug, set: { ...load.campus } })
          .returning({ id: campuses.id });
        const campusId = campus!.id;
        const buildingIds = new Map<string, string>();
        for (const part of chunks(load.buildings)) {
          const rows = await tx
            .insert(buildings)
            .values(part.map((b) => ({ ...b, campusId })))
            .onConflictDoUpdate({
              target: [buildings.campusId, buildings.osmId],
              set: {
                name: sql`excluded.name`,
                nameZh: sql`excluded.name_zh`,
                levels: sql`excluded.levels`,
                centroidLat: sql`excluded.centroid_lat`,
                centroidLng: sql`excluded.centroid_lng`,
                geometry: sql`excluded.geometry`,
              },
            })
            .returning({ id: buildings.id, osmId: buildings.osmId });
          for (const r of rows) if (r.osmId) buildingIds.set(r.osmId, r.id);
        }
        await tx.delete(walkways).where(eq(walkways.campusId, campusId));
        for (const part of chunks(load.walkways)) await tx.insert(walkways).values(part.map((w) => ({ ...w, campusId })));
        for (const part of chunks(load.qrSpots)) {
          await tx
            .insert(qrSpots)
            .values(
              part.map(({ buildingOsmId, ...s }) => ({
                ...s,
                campusId,
                buildingId: buildingOsmId ? (buildingIds.get(buildingOsmId) ?? null) : null,
                h3Cell: cellOf(s),
              })),
            )
            .onConflictDoNothing({ target: qrSpots.code });
        }
        return { campusId, buildings: load.buildings.length, walkways: load.walkways.length, qrSpots: load.qrSpots.length };
      });
    },

    async countCampuses(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(campuses);
      return row?.n ?? 0;
    },

    async listCampuses(): Promise<CampusRow[]> {
      return db.select().from(campuses).orderBy(asc(campuses.createdAt));
    },

    async findCampusBySlug(slug: string): Promise<CampusRow | undefined> {
      const [row] = await db.select().from(campuses).where(eq(campuses.slug, slug));
      return row;
    },

    async findCampusById(id: string): Promise<CampusRow | undefined> {
      const [row] = await db.select().from(campuses).where(eq(campuses.id, id));
      return row;
    },

    async listBuildings(campusId: string): Promise<BuildingRow[]> {
      return db.select().from(buildings).where(eq(buildings.campusId, campusId)).orderBy(asc(buildings.name));
    },

    async listWalkways(campusId?: string): Promise<WalkwayRow[]> {
      const q = db.select().from(walkways);
      return campusId ? q.where(eq(walkways.campusId, campusId)) : q;
    },

    async findQrSpotByCode(code: string): Promise<QrSpotRow | undefined> {
      const [row] = await activeSpotByCode(db, { code });
      return row;
    },

    async listQrSpots(campusId?: string): Promise<QrSpotRow[]> {
      const q = db.select().from(qrSpots);
      return (campusId ? q.where(eq(qrSpots.campusId, campusId)) : q).orderBy(asc(qrSpots.buildingName), asc(qrSpots.code));
    },

    /** Changes whenever a QR spot is added, moved, renamed or (de)activated: the standby snapshot reloads on a change. */
    async qrSpotsFingerprint(): Promise<string> {
      const [row] = await db
        .select({ f: sql<string>`count(*)::text || ':' || coalesce(md5(string_agg(${qrSpots.code} || ${qrSpots.active}::text || ${qrSpots.lat}::text || ${qrSpots.lng}::text || coalesce(${qrSpots.buildingName}, '') || coalesce(${qrSpots.floor}, '') || coalesce(${qrSpots.entrance}, '') || coalesce(${qrSpots.entranceZh}, ''), ',' order by ${qrSpots.code})), '')` })
        .from(qrSpots);
      return row?.f ?? '';
    },

    async findQrSpotsInCells(cells: string[]): Promise<QrSpotRow[]> {
      if (cells.length === 0) return [];
      return db.select().from(qrSpots).where(anyOf(qrSpots.h3Cell, cells, 'text'));
    },

    /** Inserts a QR spot; undefined when its code is taken (the caller draws another). */
    async insertQrSpot(spot: Omit<typeof qrSpots.$inferInsert, 'id' | 'h3Cell' | 'createdAt'>): Promise<QrSpotRow | undefined> {
      const [row] = await db.insert(qrSpots).values({ ...spot, h3Cell: cellOf(spot) }).onConflictDoNothing({ target: qrSpots.code }).returning();
      return row;
    },

    /** A QR spot by id, active or not. */
    async findQrSpotById(id: string): Promise<QrSpotRow | undefined> {
      const [row] = await db.select().from(qrSpots).where(eq(qrSpots.id, id));
      return row;
    },

    /** Changes what a spot says about where it hangs (the code, point and building stay). */
    async updateQrSpotText(id: string, text: Partial<Pick<QrSpotRow, 'buildingName' | 'floor' | 'entrance' | 'entranceZh'>>): Promise<QrSpotRow | undefined> {
      const [row] = await db.update(qrSpots).set(text).where(eq(qrSpots.id, id)).returning();
      return row;
    },

    async setQrSpotActive(id: string, active: boolean): Promise<QrSpotRow | undefined> {
      const [row] = await db.update(qrSpots).set({ active }).where(eq(qrSpots.id, id)).returning();
      return row;
    },

    async findBuildingById(id: string): Promise<BuildingRow | undefined> {
      const [row] = await db.select().from(buildings).where(eq(buildings.id, id));
      return row;
    },
  };
}

export type CampusRepository = ReturnType<typeof createCampusRepository>;
