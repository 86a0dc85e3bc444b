/**
 * Derives a campus (named buildings, walkable ways, entrances) from any OSM XML extract. Pure: the
 * caller reads the file. Output carries no contributor metadata.
 */
import { readOsmDocument, OsmParseError, type OsmDocument, type OsmRawWay, type OsmTags } from './osm-xml';
import { groupRingsIntoPolygons, joinWaysIntoRings, type NodeRing } from './osm-rings';
import { computeBounds, computePolygonCentroid, isInBounds, isPointInPolygon, type Bounds, type LatLng } from './planar-geometry';

export { OsmParseError };
export type { Bounds, LatLng };

export interface OsmBuilding {
  osmId: `way/${string}` | `relation/${string}`;
  name: string;
  /** From `name:zh`. */
  nameZh?: string;
  /** From `building:levels`. */
  levels?: number;
  /** The largest part: outer ring first, then its holes; rings closed, outer counter-clockwise. */
  polygon: LatLng[][];
  /** Every part of a multipolygon building, largest first (`polygons[0]` is `polygon`). */
  polygons: LatLng[][][];
  centroid: LatLng;
}

export interface OsmWalkway {
  osmId: `way/${string}`;
  highway: string;
  steps: boolean;
  name?: string;
  /** Shared OSM nodes have identical coordinates in every way that uses them. */
  coords: LatLng[];
  /** OSM node ids, parallel to `coords`. */
  nodeIds: string[];
}

export interface OsmEntrance {
  osmId: `node/${string}`;
  /** The `entrance` value (`main`, `yes`, `service`, `exit` …); `yes` for a bare `door=*`. */
  kind: string;
  lat: number;
  lng: number;
  level?: string;
  ref?: string;
  name?: string;
  /** OSM `name:zh`, for the Chinese label of the spot. */
  nameZh?: string;
  /** The building whose outline has this node as a vertex or contains it. */
  buildingOsmId?: OsmBuilding['osmId'];
}

export interface OsmCampus {
  bounds: Bounds;
  buildings: OsmBuilding[];
  walkways: OsmWalkway[];
  entrances: OsmEntrance[];
}

export interface ParseOsmCampusOptions {
  /**
   * Keep only what belongs to the `<bounds>` area: buildings whose centroid is inside, entrances
   * inside, and walkways trimmed to the stretch between their first and last node inside (plus one
   * node beyond each end). Extracts by bounding box hold whole ways reaching far outside it.
   * Default false. Without `<bounds>` in the file this does nothing.
   */
  clipToBounds?: boolean;
}

const WALKABLE_HIGHWAYS = new Set([
  'footway', 'path', 'pedestrian', 'steps', 'service', 'cycleway', 'living_street', 'residential', 'unclassified',
  'tertiary', 'secondary', 'primary', 'tertiary_link', 'secondary_link', 'primary_link', 'track', 'corridor', 'bridleway',
]);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive']);

interface BuildingEntry {
  building: OsmBuilding;
  vertexIds: Set<string>;
  box: Bounds;
}

/**
 * Parses an OSM XML extract into named buildings, walkable ways and entrances.
 * @throws OsmParseError when the XML is malformed or not OSM, or the file has neither nodes nor `<bounds>`.
 */
export function parseOsmCampus(xml: string, options: ParseOsmCampusOptions = {}): OsmCampus {
  const doc = readOsmDocument(xml);
  const bounds = doc.bounds ?? computeBounds(doc.nodes.values());
  if (!bounds) throw new OsmParseError('The OSM file has neither nodes nor <bounds>');
  const clip = options.clipToBounds === true && doc.bounds !== undefined;
  const entries = [...readWayBuildings(doc), ...readRelationBuildings(doc)].filter(
    (entry) => !clip || isInBounds(entry.building.centroid, bounds),
  );
  const walkways = readWalkways(doc, clip ? bounds : undefined);
  const entrances = readEntrances(doc, entries).filter((e) => !clip || isInBounds(e, bounds));
  return { bounds, buildings: entries.map((e) => e.building), walkways, entrances };
}

function readWayBuildings(doc: OsmDocument): BuildingEntry[] {
  const entries: BuildingEntry[] = [];
  for (const way of doc.ways.values()) {
    if (!isNamedBuilding(way.tags)) continue;
    const ids = way.nodeIds.filter((id) => doc.nodes.has(id));
    if (ids[0] !== ids[ids.length - 1]) ids.push(ids[0]);
    if (new Set(ids).size < 3) continue;
    const ring = toRing(doc, ids);
    const [polygon] = groupRingsIntoPolygons([ring], []);
    entries.push(toBuildingEntry(`way/${way.id}`, way.tags, [polygon]));
  }
  return entries;
}

function readRelationBuildings(doc: OsmDocument): BuildingEntry[] {
  const entries: BuildingEntry[] = [];
  for (const relation of doc.relations.values()) {
    if (relation.tags.type !== 'multipolygon' || !isNamedBuilding(relation.tags)) continue;
    const listsFor = (inner: boolean) =>
      relation.members
        .filter((m) => m.type === 'way' && (m.role === 'inner') === inner)
        .map((m) => doc.ways.get(m.ref))
        .filter((way): way is OsmRawWay => way !== undefined && way.nodeIds.every((id) => doc.nodes.has(id)))
        .map((way) => way.nodeIds);
    const outers = joinWaysIntoRings(listsFor(false)).map((ids) => toRing(doc, ids));
    const inners = joinWaysIntoRings(listsFor(true)).map((ids) => toRing(doc, ids));
    const polygons = groupRingsIntoPolygons(outers, inners);
    if (polygons.length > 0) entries.push(toBuildingEntry(`relation/${relation.id}`, relation.tags, polygons));
  }
  return entries;
}

function isNamedBuilding(tags: OsmTags): boolean {
  return tags.building !== undefined && tags.building !== 'no' && (tags.name ?? '').trim() !== '';
}

function toRing(doc: OsmDocument, nodeIds: string[]): NodeRing {
  return { nodeIds, coords: nodeIds.map((id) => toLatLng(doc, id)) };
}

function toLatLng(doc: OsmDocument, nodeId: string): LatLng {
  const node = doc.nodes.get(nodeId)!;
  return { lat: node.lat, lng: node.lng };
}

function toBuildingEntry(osmId: OsmBuilding['osmId'], tags: OsmTags, parts: NodeRing[][]): BuildingEntry {
  const polygons = parts.map((rings) => rings.map((ring) => ring.coords));
  const building: OsmBuilding = { osmId, name: tags.name.trim(), polygon: polygons[0], polygons, centroid: computePolygonCentroid(polygons[0]) };
  if (tags['name:zh']) building.nameZh = tags['name:zh'];
  const levels = Number(tags['building:levels']);
  if (tags['building:levels'] !== undefined && Number.isFinite(levels) && levels > 0) building.levels = levels;
  const vertexIds = new Set(parts.flatMap((rings) => rings.flatMap((ring) => ring.nodeIds)));
  return { building, vertexIds, box: computeBounds(polygons.flat(2))! };
}

/** Whether a way's tags make it walkable: see https://wiki.openstreetmap.org/wiki/Key:access */
function isWalkable(tags: OsmTags): boolean {
  if (!tags.highway || !WALKABLE_HIGHWAYS.has(tags.highway)) return false;
  if (tags.foot === 'no') return false;
  if ((tags.access === 'no' || tags.access === 'private') && !FOOT_ALLOWED.has(tags.foot ?? '')) return false;
  return true;
}

function readWalkways(doc: OsmDocument, clipBounds: Bounds | undefined): OsmWalkway[] {
  const walkways: OsmWalkway[] = [];
  for (const way of doc.ways.values()) {
    if (!isWalkable(way.tags)) continue;
    let nodeIds = longestPresentRun(doc, way.nodeIds);
    if (clipBounds) nodeIds = trimToBounds(doc, nodeIds, clipBounds);
    if (nodeIds.length < 2) continue;
    const walkway: OsmWalkway = {
      osmId: `way/${way.id}`,
      highway: way.tags.highway,
      steps: way.tags.highway === 'steps',
      coords: nodeIds.map((id) => toLatLng(doc, id)),
      nodeIds,
    };
    if (way.tags.name) walkway.name = way.tags.name;
    walkways.push(walkway);
  }
  return walkways;
}

// Extracts cut by other tools may lack some nodes: keep the longest stretch that has them all.
function longestPresentRun(doc: OsmDocument, nodeIds: string[]): string[] {
  let best: string[] = [];
  let current: string[] = [];
  for (const id of nodeIds) {
    if (doc.nodes.has(id)) current.push(id);
    else current = [];
    if (current.length > best.length) best = current;
  }
  return best.length === nodeIds.length ? nodeIds : [...best];
}

function trimToBounds(doc: OsmDocument, nodeIds: string[], bounds: Bounds): string[] {
  const inside = nodeIds.map((id) => isInBounds(doc.nodes.get(id)!, bounds));
  const first = inside.indexOf(true);
  if (first < 0) return [];
  const last = inside.lastIndexOf(true);
  return nodeIds.slice(Math.max(0, first - 1), Math.min(nodeIds.length, last + 2));
}

function readEntrances(doc: OsmDocument, buildings: BuildingEntry[]): OsmEntrance[] {
  const entrances: OsmEntrance[] = [];
  for (const node of doc.nodes.values()) {
    const { tags } = node;
    const isDoor = tags.door !== undefined && tags.door !== 'no';
    if (tags.entrance === undefined && !isDoor) continue;
    const entrance: OsmEntrance = { osmId: `node/${node.id}`, kind: tags.entrance ?? 'yes', lat: node.lat, lng: node.lng };
    if (tags.level) entrance.level = tags.level;
    if (tags.ref) entrance.ref = tags.ref;
    if (tags.name) entrance.name = tags.name;
    if (tags['name:zh']) entrance.nameZh = tags['name:zh'];
    const owner = findOwningBuilding(node.id, entrance, buildings);
    if (owner) entrance.buildingOsmId = owner.osmId;
    entrances.push(entrance);
  }
  return entrances;
}

function findOwningBuilding(nodeId: string, point: LatLng, buildings: BuildingEntry[]): OsmBuilding | undefined {
  const onOutline = buildings.find((entry) => entry.vertexIds.has(nodeId));
  if (onOutline) return onOutline.building;
  const containing = buildings
    .filter((entry) => isInBounds(point, entry.box))
    .filter((entry) => entry.building.polygons.some((rings) => isPointInPolygon(point, rings)))
    .sort((a, b) => boxArea(a.box) - boxArea(b.box));
  return containing[0]?.building;
}

function boxArea(box: Bounds): number {
  return (box.maxLat - box.minLat) * (box.maxLng - box.minLng);
}
