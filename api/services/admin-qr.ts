import { randomInt } from 'node:crypto';
import type { CampusRepository, QrSpotRow } from '../db/campus-repository.ts';
import { AppError, NotFoundError, ValidationError } from '../errors.ts';
import { QR_CODE_ALPHABET, QR_CODE_LENGTH } from '../import/qr-spots.ts';
import { renderQrSheetSvg, spotUrl } from './qr-sheet.ts';

/** Draws before giving up on a free code: with 31^8 (8.5e11) codes a collision is already rare. */
const CODE_ATTEMPTS = 8;
/** A spot may sit this far outside the campus bounds (an entrance on the boundary street), degrees. */
const BOUNDS_MARGIN_DEG = 0.002;

/**
 * A fresh spot code: QR_CODE_LENGTH characters of QR_CODE_ALPHABET, each drawn with the CSPRNG
 * (`randomInt` is unbiased), so a code says nothing about its neighbours'.
 */
export function randomSpotCode(): string {
  let code = '';
  for (let i = 0; i < QR_CODE_LENGTH; i++) code += QR_CODE_ALPHABET[randomInt(QR_CODE_ALPHABET.length)];
  return code;
}

export interface QrSpotView {
  id: string;
  campusId: string;
  code: string;
  /** The path the printed code opens, `/e/<code>`. */
  path: string;
  buildingId: string | null;
  buildingName: string | null;
  floor: string | null;
  entrance: string | null;
  entranceZh: string | null;
  lat: number;
  lng: number;
  active: boolean;
  source: string | null;
  createdAt: string;
}

export interface NewQrSpot {
  campusId: string;
  lat: number;
  lng: number;
  buildingId?: string;
  buildingName?: string;
  floor?: string;
  entrance?: string;
  entranceZh?: string;
}

/** What an admin may change on a spot: its text. A string sets a field, null clears it, a missing key keeps it. */
export type QrSpotTextPatch = Partial<Record<'buildingName' | 'floor' | 'entrance' | 'entranceZh', string | null>>;

function toView(row: QrSpotRow): QrSpotView {
  const { h3Cell: _cell, createdAt, ...rest } = row;
  return { ...rest, path: `/e/${row.code}`, createdAt: createdAt.toISOString() };
}

/** QR spots: where first-aid codes hang, their printable sheets, deactivation. */
export function createAdminQrService(deps: { campuses: CampusRepository; drawCode?: () => string }) {
  const { campuses } = deps;
  const drawCode = deps.drawCode ?? randomSpotCode;

  async function find(id: string): Promise<QrSpotRow> {
    const spot = await campuses.findQrSpotById(id);
    if (!spot) throw new NotFoundError('No QR spot with this id');
    return spot;
  }

  return {
    async list(campusId?: string): Promise<QrSpotView[]> {
      return (await campuses.listQrSpots(campusId)).map(toView);
    },

    /**
     * Creates a spot with a fresh random code (drawn again on a collision).
     * @throws ValidationError for an unknown campus or a building of another campus;
     *   AppError OUT_OF_CAMPUS for a point outside the campus
     */
    async create(input: NewQrSpot): Promise<QrSpotView> {
      const campus = await campuses.findCampusById(input.campusId);
      if (!campus) throw new ValidationError('campusId: no such campus', [{ path: 'campusId', message: 'no such campus' }]);
      const m = BOUNDS_MARGIN_DEG;
      if (input.lat < campus.minLat - m || input.lat > campus.maxLat + m || input.lng < campus.minLng - m || input.lng > campus.maxLng + m) {
        throw new AppError('OUT_OF_CAMPUS', `The point is outside ${campus.name}`);
      }
      const building = input.buildingId ? await campuses.findBuildingById(input.buildingId) : undefined;
      if (input.buildingId && building?.campusId !== campus.id) {
        throw new ValidationError('buildingId: no such building on this campus', [{ path: 'buildingId', message: 'no such building on this campus' }]);
      }
      for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
        const row = await campuses.insertQrSpot({
          campusId: campus.id,
          code: drawCode(),
          buildingId: building?.id ?? null,
          buildingName: input.buildingName ?? building?.name ?? null,
          floor: input.floor ?? null,
          entrance: input.entrance ?? null,
          entranceZh: input.entranceZh ?? null,
          lat: input.lat,
          lng: input.lng,
          source: 'admin',
        });
        if (row) return toView(row);
      }
      throw new Error(`no free QR code after ${CODE_ATTEMPTS} draws`);
    },

    /**
     * Corrects what a spot says (building name, floor, entrance in English and Chinese) without a new
     * code: the sticker on the wall keeps working, and the next SOS, the bystander page and a reprinted
     * sheet say the new text. Incidents raised before keep the text they were raised with.
     * @throws NotFoundError for an unknown spot
     */
    async updateText(id: string, patch: QrSpotTextPatch): Promise<QrSpotView> {
      await find(id);
      return toView((await campuses.updateQrSpotText(id, patch))!);
    },

    async setActive(id: string, active: boolean): Promise<QrSpotView> {
      await find(id);
      return toView((await campuses.setQrSpotActive(id, active))!);
    },

    /**
     * The printable A4 sheet of an active spot, as SVG.
     * @param baseUrl PUBLIC_URL, or the origin the admin reached the API at
     * @throws AppError QR_SPOT_INACTIVE for a deactivated spot: its code no longer opens anything
     */
    async sheet(id: string, baseUrl: string): Promise<{ code: string; svg: string }> {
      const spot = await find(id);
      if (!spot.active) throw new AppError('QR_SPOT_INACTIVE', 'This QR spot is deactivated; activate it before printing');
      return { code: spot.code, svg: renderQrSheetSvg(spot, spotUrl(baseUrl, spot.code)) };
    },
  };
}

export type AdminQrService = ReturnType<typeof createAdminQrService>;
