import type { AedRepository } from '../db/aed-repository.ts';
import type { CampusRepository } from '../db/campus-repository.ts';
import { loadCampusGeoData } from '../import/geo-data.ts';
import { importAeds } from './aed-import.ts';
import { importCampusGeoData } from './campus-import.ts';

export interface SeedResult {
  seeded: boolean;
  campusSlug?: string;
  buildings?: number;
  qrSpots?: number;
  aeds?: number;
}

/**
 * Loads a committed geo-data campus (buildings, walkways, QR spots, its AEDs) into a database that
 * has no campus yet. A database that has one is left alone, so admins' edits survive restarts.
 */
export async function seedCampusIfEmpty(repos: { campuses: CampusRepository; aeds: AedRepository }, dir: string): Promise<SeedResult> {
  if ((await repos.campuses.countCampuses()) > 0) return { seeded: false };
  const data = await loadCampusGeoData(dir);
  const campus = await importCampusGeoData(repos.campuses, data);
  const aeds = await importAeds(repos.aeds, { type: 'FeatureCollection', features: data.aeds }, { source: 'demo', campusId: campus.campusId });
  return { seeded: true, campusSlug: data.campus.slug, buildings: campus.buildings, qrSpots: campus.qrSpots, aeds: aeds.imported + aeds.updated };
}
