/**
 * The campus as the simulator sees it: walking graph, buildings (for collapses indoors), AEDs read
 * from their OSM tags, and the campus's time zone and bounds.
 */
import { resolveDispatchConfig, type DispatchConfig } from '../config.ts';
import type { AedForPlanning, AedStatus, LatLng } from '../types.ts';
import { buildWalkingGraph, type WalkingGraph, type WalkwayInput } from '../walking-graph.ts';
import { ringAreaM2 } from './sampling.ts';

export interface SimulationBuilding {
  name: string;
  /** Outer ring first, then holes. */
  polygon: LatLng[][];
  /** From `building:levels`, when tagged. */
  levels?: number;
  /** Outer ring minus holes, square metres. */
  areaM2: number;
}

export interface CampusBounds {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
}

export interface SimulationCampus {
  graph: WalkingGraph;
  buildings: SimulationBuilding[];
  aeds: AedForPlanning[];
  /** IANA zone: opening hours are read on its wall clock. */
  timezone: string;
  /** Volunteers and path collapses are placed inside these bounds. */
  bounds: CampusBounds;
  /** The planner's configuration (campus time zone set); the graph was built with its travel options. */
  config: DispatchConfig;
}

export interface SimulationCampusInput {
  walkways: WalkwayInput[];
  buildings: { name: string; polygon: LatLng[][]; levels?: number }[];
  aeds: AedForPlanning[];
  timezone: string;
  bounds: CampusBounds;
  config?: Partial<DispatchConfig>;
}

/**
 * Builds the walking graph and measures the buildings.
 * @throws InvalidArgumentError for a bad config; InvalidCoordinateError for a bad coordinate
 */
export function prepareSimulationCampus(input: SimulationCampusInput): SimulationCampus {
  const config = resolveDispatchConfig({ ...input.config, timezone: input.timezone });
  const graph = buildWalkingGraph(input.walkways, config);
  const buildings = input.buildings.map((b) => {
    const [outer, ...holes] = b.polygon;
    const areaM2 = Math.max(0, ringAreaM2(outer) - holes.reduce((sum, h) => sum + ringAreaM2(h), 0));
    return { ...b, areaM2 };
  });
  return { graph, buildings, aeds: input.aeds, timezone: input.timezone, bounds: input.bounds, config };
}

const STATUSES: readonly AedStatus[] = ['in_service', 'in_use', 'out_of_service', 'retired'];

/**
 * An AED for planning from its OSM tags, read as the registry import reads them (api/import/aed-tags.ts)
 * and the live matching service turns them into planning input (`toPlanningAed`, `floorOf`).
 */
export function aedFromTags(id: string, point: LatLng, tags: Readonly<Record<string, string>>): AedForPlanning {
  const text = (key: string): string | null => tags[key]?.trim() || null;
  const date = (key: string): string | null => {
    const value = text(key);
    return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
  };
  const indoor = text('indoor')?.toLowerCase();
  const level = text('level')?.match(/-?\d+(\.\d+)?/);
  const status = text('status');
  return {
    id,
    lat: point.lat,
    lng: point.lng,
    // "0;1" or "0.5": the first number, rounded, is the floor to climb to.
    level: level ? Math.round(Number(level[0])) : null,
    indoor: indoor === 'yes' ? true : indoor === 'no' ? false : null,
    access: text('access'),
    openingHours: text('opening_hours'),
    status: STATUSES.find((s) => s === status) ?? 'in_service',
    claimedByIncidentId: null,
    padExpiresOn: date('pad_expiry'),
    batteryExpiresOn: date('battery_expiry'),
  };
}
