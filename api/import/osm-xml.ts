/**
 * Reads OpenStreetMap XML (API 0.6 / JOSM / Overpass `out meta` style) into plain maps of nodes,
 * ways and relations. Keeps ids, coordinates, node lists, members and tags only: contributor
 * metadata (user, uid, changeset, timestamp, version) is never read. Pure: no I/O.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Bounds } from './planar-geometry';

/** Thrown when the input is not well-formed XML or not an OSM document. */
export class OsmParseError extends Error {
  readonly code = 'OSM_PARSE_ERROR' as const;
  override readonly name = 'OsmParseError';
}

export type OsmTags = Readonly<Record<string, string>>;

export interface OsmRawNode {
  id: string;
  lat: number;
  lng: number;
  tags: OsmTags;
}

export interface OsmRawWay {
  id: string;
  nodeIds: string[];
  tags: OsmTags;
}

export interface OsmRawMember {
  type: 'node' | 'way' | 'relation';
  ref: string;
  role: string;
}

export interface OsmRawRelation {
  id: string;
  members: OsmRawMember[];
  tags: OsmTags;
}

export interface OsmDocument {
  /** From the `<bounds>` element when the file has one. */
  bounds?: Bounds;
  nodes: Map<string, OsmRawNode>;
  ways: Map<string, OsmRawWay>;
  relations: Map<string, OsmRawRelation>;
}

type XmlElement = Record<string, unknown>;

const ARRAY_ELEMENTS = new Set(['node', 'way', 'relation', 'tag', 'nd', 'member', 'bounds']);
const METADATA_ATTRIBUTES = new Set(['user', 'uid', 'changeset', 'timestamp', 'version']);
const OSM_ID = /^-?\d+$/;

const parser = new XMLParser({
  ignoreAttributes: (name) => METADATA_ATTRIBUTES.has(name),
  attributeNamePrefix: '',
  // Entities are decoded by hand below: only the five XML ones and character references, never DTD ones.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && ARRAY_ELEMENTS.has(name),
});

/**
 * Parses OSM XML into maps keyed by OSM id (as text).
 * @throws OsmParseError when the XML is malformed, the root is not `<osm>`, or an element lacks its id or coordinates.
 */
export function readOsmDocument(xml: string): OsmDocument {
  if (typeof xml !== 'string' || xml.trim() === '') throw new OsmParseError('OSM input is empty');
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new OsmParseError(`Malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  const parsed = parser.parse(xml) as XmlElement;
  if (!('osm' in parsed)) throw new OsmParseError('Not an OSM document: the root element is not <osm>');
  const root = isElement(parsed.osm) ? parsed.osm : {};
  return {
    bounds: readBounds(root),
    nodes: indexById(elementsOf(root, 'node').filter(isVisible).map(readNode)),
    ways: indexById(elementsOf(root, 'way').filter(isVisible).map(readWay)),
    relations: indexById(elementsOf(root, 'relation').filter(isVisible).map(readRelation)),
  };
}

function readBounds(root: XmlElement): Bounds | undefined {
  const [bounds] = elementsOf(root, 'bounds');
  if (!bounds) return undefined;
  return {
    minLat: readNumber(bounds, 'minlat', 'bounds'),
    minLng: readNumber(bounds, 'minlon', 'bounds'),
    maxLat: readNumber(bounds, 'maxlat', 'bounds'),
    maxLng: readNumber(bounds, 'maxlon', 'bounds'),
  };
}

function readNode(element: XmlElement): OsmRawNode {
  const id = readId(element, 'node');
  const lat = readNumber(element, 'lat', `node/${id}`);
  const lng = readNumber(element, 'lon', `node/${id}`);
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) throw new OsmParseError(`node/${id} has coordinates out of range`);
  return { id, lat, lng, tags: readTags(element) };
}

function readWay(element: XmlElement): OsmRawWay {
  const id = readId(element, 'way');
  const nodeIds = elementsOf(element, 'nd').map((nd) => readRef(nd, `way/${id}`));
  return { id, nodeIds, tags: readTags(element) };
}

function readRelation(element: XmlElement): OsmRawRelation {
  const id = readId(element, 'relation');
  const members = elementsOf(element, 'member').map((member): OsmRawMember => {
    const type = member.type;
    if (type !== 'node' && type !== 'way' && type !== 'relation') {
      throw new OsmParseError(`relation/${id} has a member of unknown type`);
    }
    const role = typeof member.role === 'string' ? decodeXmlText(member.role) : '';
    return { type, ref: readRef(member, `relation/${id}`), role };
  });
  return { id, members, tags: readTags(element) };
}

function readTags(element: XmlElement): OsmTags {
  const tags: Record<string, string> = Object.create(null);
  for (const tag of elementsOf(element, 'tag')) {
    if (typeof tag.k === 'string' && typeof tag.v === 'string') tags[decodeXmlText(tag.k)] = decodeXmlText(tag.v);
  }
  return tags;
}

function readId(element: XmlElement, kind: string): string {
  const id = element.id;
  if (typeof id !== 'string' || !OSM_ID.test(id)) throw new OsmParseError(`A ${kind} has no valid id`);
  return id;
}

function readRef(element: XmlElement, owner: string): string {
  const ref = element.ref;
  if (typeof ref !== 'string' || !OSM_ID.test(ref)) throw new OsmParseError(`${owner} refers to an element without a valid id`);
  return ref;
}

function readNumber(element: XmlElement, attribute: string, owner: string): number {
  const text = element[attribute];
  const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new OsmParseError(`${owner} has no valid ${attribute}`);
  return value;
}

function elementsOf(parent: XmlElement, name: string): XmlElement[] {
  const value = parent[name];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null;
}

// Deleted elements in history / osmChange-like dumps carry visible="false" and often no coordinates.
function isVisible(element: XmlElement): boolean {
  return element.visible !== 'false';
}

function indexById<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric character references; leaves anything else as is. */
function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const codePoint = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}
