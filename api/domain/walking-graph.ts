/**
 * The campus walking network: OSM ways (footway, path, pedestrian, steps, service, ...) joined into an
 * undirected graph whose edge costs are walking seconds. DESIGN.md, "Geography and time": travel time
 * is walking-route time, not straight-line distance.
 */
import { InvalidArgumentError } from './errors.ts';
import { EdgeIndex } from './edge-index.ts';
import { assertLatLng, distanceM } from './geo.ts';
import type { LatLng } from './types.ts';

/** One OSM way as the importer hands it over. */
export interface WalkwayInput {
  coords: LatLng[];
  /** OSM node ids, parallel to `coords`; ways join where they share one. */
  nodeIds?: string[];
  /** OSM `highway` value. */
  highway: string;
  /** True for `highway=steps` (or stairs mapped otherwise). */
  steps: boolean;
}

/** How fast people move on and off the graph. */
export interface TravelOptions {
  /** Running volunteer speed on level ground, m/s. Default 2.3 (median measured; IQR 1.4-4.0). */
  walkSpeedMps: number;
  /**
   * Speed on steps as a fraction of `walkSpeedMps`, measured along the way's horizontal length.
   * Default 0.5: horizontal progress on stairs is about half of level walking (Fruin 1971,
   * "Pedestrian Planning and Design": ~0.5-0.7 m/s on stairs against 1.3-1.4 m/s on the level).
   */
  stepsSpeedFactor: number;
  /**
   * Route length over straight-line length where no graph covers the way. Default 1.5: real routes
   * are 1.4-1.6x the straight line (DESIGN.md, "Geography and time").
   */
  detourFactor: number;
  /** A point farther than this from every edge is off the graph: straight-line fallback. Metres, default 150. */
  maxSnapM: number;
}

export const DEFAULT_TRAVEL_OPTIONS: TravelOptions = {
  walkSpeedMps: 2.3,
  stepsSpeedFactor: 0.5,
  detourFactor: 1.5,
  maxSnapM: 150,
};

/** Highways nobody may walk on; everything else the importer hands over is walkable. */
const NOT_WALKABLE = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link', 'construction', 'proposed', 'raceway', 'bus_guideway']);

/** The walking graph: nodes and CSR adjacency in typed arrays, edge costs in seconds. */
export interface WalkingGraph {
  readonly travel: TravelOptions;
  readonly nodeCount: number;
  readonly nodeLat: Float64Array;
  readonly nodeLng: Float64Array;
  /** Neighbours of node n are adjNode[adjOffset[n] .. adjOffset[n + 1]). */
  readonly adjOffset: Int32Array;
  readonly adjNode: Int32Array;
  readonly adjCostS: Float64Array;
  readonly edgeCount: number;
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgeLengthM: Float64Array;
  readonly edgeCostS: Float64Array;
  /** Connected component of each node; components are numbered by decreasing size (0 = largest). */
  readonly component: Int32Array;
  /** Node count per component. */
  readonly componentSizes: Int32Array;
  readonly edgeIndex: EdgeIndex;
}

/**
 * Builds the walking graph. Ways join where they share an OSM node id or an identical coordinate.
 * Edge cost = length / walkSpeedMps, on steps length / (walkSpeedMps x stepsSpeedFactor); both
 * directions cost the same (running down stairs is not modelled as faster: a safe estimate).
 * @throws InvalidArgumentError for bad options; InvalidCoordinateError for a bad coordinate
 */
export function buildWalkingGraph(walkways: WalkwayInput[], options: Partial<TravelOptions> = {}): WalkingGraph {
  const travel = { ...DEFAULT_TRAVEL_OPTIONS, ...pickTravel(options) };
  assertTravelOptions(travel);
  const nodes = new NodeTable();
  const edges: { from: number; to: number; lengthM: number; costS: number }[] = [];
  for (const way of walkways) {
    if (way.coords.length < 2 || NOT_WALKABLE.has(way.highway)) continue;
    const speedMps = travel.walkSpeedMps * (way.steps ? travel.stepsSpeedFactor : 1);
    let previous = nodes.intern(way.coords[0], way.nodeIds?.[0]);
    for (let i = 1; i < way.coords.length; i++) {
      const current = nodes.intern(way.coords[i], way.nodeIds?.[i]);
      if (current !== previous) {
        const lengthM = distanceM(nodes.position(previous), nodes.position(current));
        edges.push({ from: previous, to: current, lengthM, costS: lengthM / speedMps });
      }
      previous = current;
    }
  }
  return assemble(travel, nodes, edges);
}

/**
 * @throws InvalidArgumentError when a speed or factor is out of range
 */
export function assertTravelOptions(travel: TravelOptions): void {
  const { walkSpeedMps, stepsSpeedFactor, detourFactor, maxSnapM } = travel;
  if (!(walkSpeedMps > 0 && Number.isFinite(walkSpeedMps))) throw new InvalidArgumentError(`invalid walkSpeedMps ${walkSpeedMps}`);
  if (!(stepsSpeedFactor > 0 && stepsSpeedFactor <= 1)) throw new InvalidArgumentError(`invalid stepsSpeedFactor ${stepsSpeedFactor}`);
  // Straight-line time must stay a lower bound of any route time: detourFactor >= 1.
  if (!(detourFactor >= 1 && Number.isFinite(detourFactor))) throw new InvalidArgumentError(`invalid detourFactor ${detourFactor}`);
  if (!(maxSnapM >= 0 && Number.isFinite(maxSnapM))) throw new InvalidArgumentError(`invalid maxSnapM ${maxSnapM}`);
}

/** The travel options out of a larger object (a DispatchConfig may be passed as options). */
export function pickTravel(options: Partial<TravelOptions>): Partial<TravelOptions> {
  const picked: Partial<TravelOptions> = {};
  for (const key of Object.keys(DEFAULT_TRAVEL_OPTIONS) as (keyof TravelOptions)[]) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked;
}

/** Node numbering by OSM id or exact coordinate. */
class NodeTable {
  readonly lat: number[] = [];
  readonly lng: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly byCoord = new Map<string, number>();

  intern(point: LatLng, osmId: string | undefined): number {
    assertLatLng(point);
    const coordKey = `${point.lat},${point.lng}`;
    let node = (osmId === undefined ? undefined : this.byId.get(osmId)) ?? this.byCoord.get(coordKey);
    if (node === undefined) {
      node = this.lat.push(point.lat) - 1;
      this.lng.push(point.lng);
    }
    if (osmId !== undefined && !this.byId.has(osmId)) this.byId.set(osmId, node);
    if (!this.byCoord.has(coordKey)) this.byCoord.set(coordKey, node);
    return node;
  }

  position(node: number): LatLng {
    return { lat: this.lat[node], lng: this.lng[node] };
  }
}

function assemble(
  travel: TravelOptions,
  nodes: NodeTable,
  edges: { from: number; to: number; lengthM: number; costS: number }[],
): WalkingGraph {
  const nodeCount = nodes.lat.length;
  const adjOffset = new Int32Array(nodeCount + 1);
  for (const e of edges) {
    adjOffset[e.from + 1]++;
    adjOffset[e.to + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) adjOffset[n + 1] += adjOffset[n];
  const fill = adjOffset.slice(0, nodeCount);
  const adjNode = new Int32Array(edges.length * 2);
  const adjCostS = new Float64Array(edges.length * 2);
  for (const e of edges) {
    adjNode[fill[e.from]] = e.to;
    adjCostS[fill[e.from]++] = e.costS;
    adjNode[fill[e.to]] = e.from;
    adjCostS[fill[e.to]++] = e.costS;
  }
  const graph = {
    travel,
    nodeCount,
    nodeLat: Float64Array.from(nodes.lat),
    nodeLng: Float64Array.from(nodes.lng),
    adjOffset,
    adjNode,
    adjCostS,
    edgeCount: edges.length,
    edgeFrom: Int32Array.from(edges, (e) => e.from),
    edgeTo: Int32Array.from(edges, (e) => e.to),
    edgeLengthM: Float64Array.from(edges, (e) => e.lengthM),
    edgeCostS: Float64Array.from(edges, (e) => e.costS),
  };
  const { component, componentSizes } = components(nodeCount, adjOffset, adjNode);
  return { ...graph, component, componentSizes, edgeIndex: new EdgeIndex(graph) };
}

/** Connected components by BFS, renumbered so that 0 is the largest. */
function components(nodeCount: number, adjOffset: Int32Array, adjNode: Int32Array): { component: Int32Array; componentSizes: Int32Array } {
  const raw = new Int32Array(nodeCount).fill(-1);
  const sizes: number[] = [];
  const queue = new Int32Array(nodeCount);
  for (let start = 0; start < nodeCount; start++) {
    if (raw[start] !== -1) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    raw[start] = id;
    while (head < tail) {
      const n = queue[head++];
      for (let i = adjOffset[n]; i < adjOffset[n + 1]; i++) {
        if (raw[adjNode[i]] === -1) {
          raw[adjNode[i]] = id;
          queue[tail++] = adjNode[i];
        }
      }
    }
    sizes.push(tail);
  }
  const order = sizes.map((_, id) => id).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rank = new Int32Array(sizes.length);
  order.forEach((id, r) => (rank[id] = r));
  return { component: raw.map((id) => rank[id]), componentSizes: Int32Array.from(order, (id) => sizes[id]) };
}
