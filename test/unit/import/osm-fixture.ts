/**
 * A tiny hand-written OSM extract: two named buildings (a way and a multipolygon with a hole), an
 * unnamed building, a `building=no`, entrances, footways sharing a node, steps, a fence, ways closed
 * to pedestrians, and contributor metadata on every element.
 */
const META = 'version="3" changeset="987654" timestamp="2020-01-02T03:04:05Z" user="Secret Mapper" uid="424242" visible="true"';

const NODES: Record<number, [lat: number, lng: number, tags?: Record<string, string>]> = {
  // Alpha Hall: a square about 22 m × 25 m.
  1: [42.05, -87.676],
  2: [42.05, -87.6757, { entrance: 'main', ref: 'A' }],
  3: [42.0502, -87.6757],
  4: [42.0502, -87.676],
  // Beta Center outer ring and hole.
  5: [42.051, -87.676],
  6: [42.051, -87.675],
  7: [42.052, -87.675],
  8: [42.052, -87.676],
  9: [42.0514, -87.6756],
  10: [42.0514, -87.6754],
  11: [42.0516, -87.6754],
  12: [42.0516, -87.6756],
  13: [42.0518, -87.6758, { entrance: 'yes', level: '1' }],
  14: [42.0519, -87.6759, { door: 'no' }],
  // Footways sharing node 22, then steps.
  20: [42.0495, -87.6765],
  21: [42.0498, -87.6762],
  22: [42.0499, -87.6755, { highway: 'crossing' }],
  23: [42.0505, -87.6752],
  24: [42.0508, -87.6752],
  // Fence, closed ways and a motorway.
  30: [42.0496, -87.677],
  31: [42.0496, -87.6775],
  32: [42.0493, -87.677],
  33: [42.0493, -87.6765],
  // Unnamed building and building=no.
  40: [42.053, -87.676],
  41: [42.053, -87.6759],
  42: [42.0531, -87.6759],
};

const WAYS: Record<number, [nodes: number[], tags: Record<string, string>]> = {
  100: [[1, 2, 3, 4, 1], { building: 'university', name: 'Alpha &amp; Omega Hall', 'name:zh': '阿尔法楼', 'building:levels': '3' }],
  101: [[5, 6, 7], {}],
  102: [[7, 8, 5], {}],
  103: [[9, 10, 11, 12, 9], {}],
  104: [[40, 41, 42, 40], { building: 'yes' }],
  105: [[40, 41, 42, 40], { building: 'no', name: 'Tennis Court' }],
  300: [[20, 21, 22], { highway: 'footway', name: 'Sheridan Walk' }],
  301: [[22, 23], { highway: 'footway', footway: 'crossing' }],
  302: [[23, 24], { highway: 'steps' }],
  400: [[30, 31], { barrier: 'fence' }],
  401: [[30, 32], { highway: 'service', foot: 'no' }],
  402: [[32, 33], { highway: 'service', access: 'private' }],
  403: [[31, 32], { highway: 'service', access: 'private', foot: 'yes' }],
  404: [[20, 33], { highway: 'motorway' }],
};

function tagsXml(tags: Record<string, string> = {}): string {
  return Object.entries(tags).map(([k, v]) => `<tag k="${k}" v="${v}"/>`).join('');
}

/** The fixture as OSM XML. */
export function buildFixtureXml(): string {
  const nodes = Object.entries(NODES).map(([id, [lat, lng, tags]]) =>
    tags ? `<node id="${id}" ${META} lat="${lat}" lon="${lng}">${tagsXml(tags)}</node>` : `<node id="${id}" ${META} lat="${lat}" lon="${lng}"/>`,
  );
  const ways = Object.entries(WAYS).map(([id, [refs, tags]]) =>
    `<way id="${id}" ${META}>${refs.map((r) => `<nd ref="${r}"/>`).join('')}${tagsXml(tags)}</way>`,
  );
  const relation =
    `<relation id="200" ${META}><member type="way" ref="101" role="outer"/><member type="way" ref="102" role="outer"/>` +
    `<member type="way" ref="103" role="inner"/>${tagsXml({ type: 'multipolygon', building: 'university', name: 'Beta Center' })}</relation>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<osm version="0.6" generator="hand" copyright="OpenStreetMap and contributors">',
    '<bounds minlat="42.049" minlon="-87.678" maxlat="42.054" maxlon="-87.674"/>',
    ...nodes,
    ...ways,
    relation,
    '</osm>',
  ].join('\n');
}
