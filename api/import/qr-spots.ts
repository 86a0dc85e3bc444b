/**
 * Where the first-aid QR codes go: one per building entrance. Pure apart from hashing with
 * node:crypto (no I/O): the same campus always yields the same codes.
 */
import { createHmac } from 'node:crypto';
import type { OsmBuilding, OsmCampus, OsmEntrance } from './osm-campus';
import { findOutlinePointNearestWalkway, indexWalkways, type WalkwayIndex } from './nearest-walkway-point';
import { bearingDeg, type LatLng } from './planar-geometry';

export interface QrSpotSeed {
  /** 8 characters of {@link QR_CODE_ALPHABET}; stable for the same building and entrance. */
  code: string;
  buildingOsmId: OsmBuilding['osmId'];
  buildingName: string;
  /** OSM `level` of the spot as text; '0' is the ground floor. */
  floor: string;
  /** Human label, e.g. "Main entrance", "Entrance (north-east side)". */
  entrance: string;
  /** The same label in Chinese, e.g. "正门", "入口（东北侧）": what a bystander reading Chinese sees. */
  entranceZh: string;
  /** The OSM entrance node the spot sits at, when there is one. */
  entranceOsmId?: OsmEntrance['osmId'];
  lat: number;
  lng: number;
  /**
   * `osm-entrance`: at a mapped entrance; `nearest-walkway`: the outline point closest to the walking
   * network; `outline`: a building with no walkway within 5 km, placed on its outline.
   */
  source: 'osm-entrance' | 'nearest-walkway' | 'outline';
}

export interface DeriveQrSpotsOptions {
  /** HMAC key for the codes. A deployment that wants unguessable codes sets its own secret. */
  salt?: string;
}

/** a-z and 0-9 without the look-alikes 0/o, 1/l/i. */
export const QR_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const QR_CODE_LENGTH = 8;
const DEFAULT_SALT = 'campus-aed-responder/qr-spot/v1';

const SIDES = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'];
const SIDES_ZH = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
const PLAIN_ENTRANCE = { en: 'Entrance', zh: '入口' };
/** OSM `entrance=*` values, in English and Chinese; anything else is a plain entrance. */
const KIND_LABELS: Readonly<Record<string, { en: string; zh: string }>> = {
  main: { en: 'Main entrance', zh: '正门' },
  service: { en: 'Service entrance', zh: '后勤入口' },
  exit: { en: 'Exit', zh: '出口' },
  emergency: { en: 'Emergency exit', zh: '紧急出口' },
  staircase: { en: 'Staircase entrance', zh: '楼梯入口' },
  garage: { en: 'Garage entrance', zh: '车库入口' },
  home: PLAIN_ENTRANCE,
};

/**
 * One QR spot per building entrance: the building's OSM entrance nodes when it has any, else the
 * point of its outline nearest to a walkway. Spots follow the order of `campus.buildings`.
 */
export function deriveQrSpots(campus: OsmCampus, options: DeriveQrSpotsOptions = {}): QrSpotSeed[] {
  const salt = options.salt ?? DEFAULT_SALT;
  const walkwayIndex = indexWalkways(campus.walkways);
  const entrancesByBuilding = groupEntrances(campus.entrances);
  const usedCodes = new Set<string>();
  const spots: QrSpotSeed[] = [];
  for (const building of campus.buildings) {
    const placed = placeSpots(building, entrancesByBuilding.get(building.osmId) ?? [], walkwayIndex);
    const suffixes = disambiguate(placed.map((spot) => spot.entrance));
    placed.forEach((spot, i) => {
      const code = deriveQrCode(`${building.osmId}|${spot.entranceOsmId ?? spot.source}`, salt, usedCodes);
      spots.push({ code, ...spot, entrance: spot.entrance + suffixes[i], entranceZh: spot.entranceZh + suffixes[i] });
    });
  }
  return spots;
}

function placeSpots(building: OsmBuilding, entrances: OsmEntrance[], index: WalkwayIndex): Omit<QrSpotSeed, 'code'>[] {
  const base = { buildingOsmId: building.osmId, buildingName: building.name };
  if (entrances.length > 0) {
    return entrances.map((e) => ({
      ...base,
      floor: floorOf(e.level),
      ...labelEntrance(e, building.centroid, e),
      entranceOsmId: e.osmId,
      lat: e.lat,
      lng: e.lng,
      source: 'osm-entrance' as const,
    }));
  }
  const near = findOutlinePointNearestWalkway(building, index);
  const point = near?.point ?? building.polygon[0][0];
  return [{
    ...base,
    floor: '0',
    ...labelEntrance({ kind: 'yes' }, building.centroid, point),
    lat: point.lat,
    lng: point.lng,
    source: near ? 'nearest-walkway' : 'outline',
  }];
}

function groupEntrances(entrances: readonly OsmEntrance[]): Map<string, OsmEntrance[]> {
  const groups = new Map<string, OsmEntrance[]>();
  for (const entrance of entrances) {
    if (!entrance.buildingOsmId) continue;
    groups.set(entrance.buildingOsmId, [...(groups.get(entrance.buildingOsmId) ?? []), entrance]);
  }
  // Main entrances first, then by node id, so labels and order do not depend on file order.
  for (const list of groups.values()) {
    list.sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main') || compareOsmIds(a.osmId, b.osmId));
  }
  return groups;
}

function compareOsmIds(a: string, b: string): number {
  const idA = BigInt(a.slice(a.indexOf('/') + 1));
  const idB = BigInt(b.slice(b.indexOf('/') + 1));
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** OSM `level` may list several levels ("0;1"): the spot is on the first. */
function floorOf(level: string | undefined): string {
  const first = level?.split(';')[0].trim();
  return first ? first : '0';
}

/** The compass side of the building a point is on, from the centroid's bearing to it. */
export function describeSide(centroid: LatLng, point: LatLng): string {
  return SIDES[sideOf(centroid, point)];
}

/** Which of the eight compass sides (0 = north, clockwise) a point is on, seen from the centroid. */
function sideOf(centroid: LatLng, point: LatLng): number {
  return Math.round(bearingDeg(centroid, point) / 45) % 8;
}

/**
 * "Main entrance", "Main entrance A", "Entrance (north side)", "Service entrance 2 (east side)", or
 * the OSM name; in Chinese "正门", "正门 A", "入口（北侧）", "后勤入口 2（东侧）", or `name:zh` (else the name).
 */
function labelEntrance(entrance: Pick<OsmEntrance, 'kind' | 'name' | 'nameZh' | 'ref'>, centroid: LatLng, point: LatLng): { entrance: string; entranceZh: string } {
  const kind = KIND_LABELS[entrance.kind] ?? PLAIN_ENTRANCE;
  const ref = entrance.ref ? ` ${entrance.ref}` : '';
  const title = entrance.name ?? `${kind.en}${ref}`;
  const titleZh = entrance.nameZh ?? entrance.name ?? `${kind.zh}${ref}`;
  // A building has one main entrance: its side adds nothing.
  if (entrance.kind === 'main') return { entrance: title, entranceZh: titleZh };
  const side = sideOf(centroid, point);
  return { entrance: `${title} (${SIDES[side]} side)`, entranceZh: `${titleZh}（${SIDES_ZH[side]}侧）` };
}

/** What tells apart spots whose labels are the same: " 1/2", " 2/2"; nothing for a unique label. */
function disambiguate(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    const total = labels.filter((l) => l === label).length;
    return total > 1 ? ` ${count}/${total}` : '';
  });
}

/**
 * An 8-character code from HMAC-SHA256(salt, key), re-hashed in the astronomically rare case it is
 * already taken, so the codes in one campus are unique.
 */
export function deriveQrCode(key: string, salt: string, usedCodes: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const digest = createHmac('sha256', salt).update(attempt === 0 ? key : `${key}#${attempt}`).digest();
    let value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
    let code = '';
    const base = BigInt(QR_CODE_ALPHABET.length);
    for (let i = 0; i < QR_CODE_LENGTH; i++) {
      code += QR_CODE_ALPHABET[Number(value % base)];
      value /= base;
    }
    if (!usedCodes.has(code)) {
      usedCodes.add(code);
      return code;
    }
  }
}
