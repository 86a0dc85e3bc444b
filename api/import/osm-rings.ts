/**
 * Multipolygon ring assembly: joins member ways end to end into closed rings of node ids, and turns
 * rings into polygons (outer ring with its holes), GeoJSON-style. Pure.
 * See https://wiki.openstreetmap.org/wiki/Relation:multipolygon/Algorithm
 */
import { createLocalProjection, isPointInPolygon, signedRingAreaM2, type LatLng } from './planar-geometry';

/** A closed ring: node ids and their positions, first element repeated at the end. */
export interface NodeRing {
  nodeIds: string[];
  coords: LatLng[];
}

/**
 * Joins way node lists (each in OSM order) into closed rings by shared end nodes.
 * Chains that cannot be closed (members missing from the extract) are dropped.
 */
export function joinWaysIntoRings(wayNodeLists: readonly (readonly string[])[]): string[][] {
  const rings: string[][] = [];
  const open: string[][] = [];
  for (const list of wayNodeLists) {
    if (list.length < 2) continue;
    if (list.length >= 4 && list[0] === list[list.length - 1]) rings.push([...list]);
    else open.push([...list]);
  }
  while (open.length > 0) {
    const chain = open.pop()!;
    while (chain[0] !== chain[chain.length - 1]) {
      const end = chain[chain.length - 1];
      const index = open.findIndex((w) => w[0] === end || w[w.length - 1] === end);
      if (index < 0) break;
      const [next] = open.splice(index, 1);
      const oriented = next[0] === end ? next : [...next].reverse();
      chain.push(...oriented.slice(1));
    }
    if (chain.length >= 4 && chain[0] === chain[chain.length - 1]) rings.push(chain);
  }
  return rings;
}

/**
 * Groups outer and inner rings into polygons: each polygon is its outer ring (counter-clockwise)
 * followed by the inner rings inside it (clockwise), as RFC 7946 asks. Largest polygon first.
 */
export function groupRingsIntoPolygons(outers: readonly NodeRing[], inners: readonly NodeRing[]): NodeRing[][] {
  if (outers.length === 0) return [];
  const projection = createLocalProjection(outers[0].coords[0]);
  const areaOf = (ring: NodeRing) => signedRingAreaM2(ring.coords.map(projection.toPlane));
  const polygons = outers
    .map((outer) => ({ rings: [orient(outer, areaOf(outer), true)], areaM2: Math.abs(areaOf(outer)) }))
    .sort((a, b) => b.areaM2 - a.areaM2);
  for (const inner of inners) {
    // The smallest outer that holds the hole is its owner (outers are sorted largest first).
    const owner = [...polygons].reverse().find((p) => isPointInPolygon(inner.coords[0], [p.rings[0].coords]));
    if (owner) owner.rings.push(orient(inner, areaOf(inner), false));
  }
  return polygons.map((p) => p.rings);
}

/** Reorients a ring: counter-clockwise for outer rings, clockwise for holes. */
export function orient(ring: NodeRing, signedAreaM2: number, counterClockwise: boolean): NodeRing {
  if (signedAreaM2 > 0 === counterClockwise) return ring;
  return { nodeIds: [...ring.nodeIds].reverse(), coords: [...ring.coords].reverse() };
}
