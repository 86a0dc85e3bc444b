import fc from 'fast-check';
import { hostileJsonText, nastyString, nastyValue } from './fuzz-helpers.ts';

/**
 * Random HTTP requests for one operation of the app's OpenAPI document: path parameters, query
 * strings, bodies and content types drawn from the operation's own schemas (plausible values, so
 * inputs get past validation into the services), mutated with hostile values, or plain junk.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  method: string;
  /** Path as documented, under /api: `/incidents/{id}`. */
  path: string;
  parameters: Parameter[];
  bodySchema?: JsonSchema;
}

export type AuthKind = 'none' | 'malformed' | 'forged' | 'pending' | 'volunteer' | 'admin';

export interface FuzzRequest {
  method: string;
  /** Full path with query string, starting at /api. */
  url: string;
  auth: AuthKind;
  /** `Authorization` for the malformed and forged kinds; the test fills in real tokens. */
  authorization?: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Known-good values by parameter or property name: real ids, codes, tokens of the seeded app. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export interface Tuning {
  /** Weight of schema-plausible values against hostile ones, in tenths (default 30); lower for slow valid paths. */
  plausible?: number;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, sorted by path and method. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => METHODS.includes(m))
        .map(([m, op]) => ({ method: m.toUpperCase(), path, parameters: op.parameters ?? [], bodySchema: op.requestBody?.content['application/json']?.schema })),
    )
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Percent-encodes as UTF-8; lone surrogates become U+FFFD first, where encodeURIComponent would throw. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Path segments and query parts sent as they are: malformed escapes, dot segments, encoded slashes. */
const RAW_URL_PARTS = ['', '.', '..', '%', '%zz', '%E0%A4%A', '%00', '%2F', 'a%2Fb', '%252F', '%C0%AF', '%u0041', '%FF%FE', '+', ';', ',', '*'];

const isoDate = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Header-safe text (ByteString, no control characters). */
const headerText = fc.string({ unit: 'binary-ascii', maxLength: 120 }).map((s) => s.replace(/[\x00-\x1f\x7f]/g, ''));

function resolve(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
  const ref = schema.$ref?.replace('#/components/schemas/', '');
  return ref ? (doc.components?.schemas?.[ref] ?? {}) : schema;
}

/** A value the schema would likely accept (a known-good hint when the name has one). */
export function plausible(schema: JsonSchema, doc: OpenApiDocument, hints: Hints, name?: string): fc.Arbitrary<unknown> {
  const own = fromSchema(resolve(schema, doc), doc, hints);
  const hint = name ? hints[name] : undefined;
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: own }) : own;
}

function fromSchema(s: JsonSchema, doc: OpenApiDocument, hints: Hints): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => plausible(x, doc, hints)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const base = fromType(types.find((t) => t !== 'null'), s, doc, hints);
  return types.includes('null') ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function fromType(type: string | undefined, s: JsonSchema, doc: OpenApiDocument, hints: Hints): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date') return isoDate;
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 40, 60)) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? plausible(s.items, doc, hints) : fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
    case 'object': {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, plausible(v, doc, hints, k)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The schema's object with some fields hostile, some missing, and stray keys added. */
function mutated(schema: JsonSchema, doc: OpenApiDocument, hints: Hints, plausibleWeight: number): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  if (!s.properties) return nastyValue;
  const model = Object.fromEntries(
    Object.entries(s.properties).map(([k, v]) => [k, fc.oneof({ weight: plausibleWeight, arbitrary: plausible(v, doc, hints, k) }, { weight: 20, arbitrary: nastyValue })]),
  );
  const extra = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'role', 'admin'), fc.string({ maxLength: 8 })), nastyValue, { maxKeys: 2 });
  return fc.tuple(fc.record(model, { requiredKeys: [] }), fc.option(extra, { freq: 4 })).map(([o, x]) => (x ? { ...o, ...x } : o));
}

/** A JSON text: JSON.stringify drops undefined, so a bare undefined becomes the empty body. */
const stringify = (v: unknown) => JSON.stringify(v) ?? '';

function bodyArbitrary(op: Operation, doc: OpenApiDocument, hints: Hints, w: number): fc.Arbitrary<string | Uint8Array | undefined> {
  const options: fc.WeightedArbitrary<string | Uint8Array | undefined>[] = [
    { weight: 10, arbitrary: fc.constant(undefined) },
    { weight: 30, arbitrary: hostileJsonText },
    { weight: 20, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(stringify) },
    { weight: 10, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    {
      weight: 10,
      arbitrary: fc.tuple(fc.constantFrom('file', 'File', 'x', ''), hostileJsonText, fc.boolean()).map(
        ([field, text, closed]) => `--X\r\nContent-Disposition: form-data; name="${field}"; filename="a.geojson"\r\n\r\n${text}\r\n${closed ? '--X--\r\n' : ''}`,
      ),
    },
  ];
  if (op.bodySchema) {
    options.push({ weight: 50, arbitrary: mutated(op.bodySchema, doc, hints, w).map(stringify) });
    options.push({ weight: w, arbitrary: plausible(op.bodySchema, doc, hints).map(stringify) });
  }
  return fc.oneof(...options);
}

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=X',
      'multipart/form-data',
      'application/geo+json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json;;;',
      'image/png',
    ),
  },
  { weight: 1, arbitrary: headerText },
);

const authArbitrary: fc.Arbitrary<{ auth: AuthKind; authorization?: string }> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ auth: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer short', 'bearer AAAAAAAAAAAAAAAAAAAA', 'Bearer ' + 'A'.repeat(129)), headerText)
      .map((authorization) => ({ auth: 'malformed' as const, authorization })),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/).map((t) => ({ auth: 'forged' as const, authorization: `Bearer ${t}` })) },
  { weight: 1, arbitrary: fc.constant({ auth: 'pending' as const }) },
  { weight: 3, arbitrary: fc.constant({ auth: 'volunteer' as const }) },
  { weight: 4, arbitrary: fc.constant({ auth: 'admin' as const }) },
);

function paramValue(p: Parameter, doc: OpenApiDocument, hints: Hints, w: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: w, arbitrary: plausible(p.schema, doc, hints, p.name).map((v) => percentEncode(String(v))) },
    { weight: 10, arbitrary: fc.uuid() },
    { weight: 20, arbitrary: nastyString.map(percentEncode) },
    { weight: 10, arbitrary: fc.constantFrom(...RAW_URL_PARTS) },
  );
}

function queryArbitrary(params: Parameter[], doc: OpenApiDocument, hints: Hints, w: number): fc.Arbitrary<string> {
  const declared = params.map((p) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as string[]) },
      { weight: 2, arbitrary: paramValue(p, doc, hints, w).map((v) => [`${p.name}=${v}`]) },
      { weight: 1, arbitrary: fc.array(paramValue(p, doc, hints, w), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `${p.name}=${v}`)) },
    ),
  );
  const extra = fc.array(fc.tuple(nastyString, nastyString).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`), { maxLength: 2 });
  const raw = fc.option(fc.constantFrom(...RAW_URL_PARTS, '&&', '==', '=', '&=&', 'a=%', 'a[b]=1'), { freq: 5 });
  return fc.tuple(fc.tuple(...declared), extra, raw).map(([parts, more, r]) => [...parts.flat(), ...more, ...(r === null ? [] : [r])].join('&'));
}

/** Random requests for one operation. */
export function requestArbitrary(op: Operation, doc: OpenApiDocument, hints: Hints, tuning: Tuning = {}): fc.Arbitrary<FuzzRequest> {
  const w = tuning.plausible ?? 30;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const path = fc.tuple(...pathParams.map((p) => paramValue(p, doc, hints, w))).map((values) => {
    let i = 0;
    return `/api${op.path.replace(/\{\w+\}/g, () => values[i++] ?? '')}`;
  });
  const headerValues = fc.tuple(
    ...headerParams.map((p) =>
      fc.option(fc.oneof({ weight: w, arbitrary: plausible(p.schema, doc, hints, p.name).map(String) }, { weight: 20, arbitrary: headerText }), { freq: 2 }),
    ),
  );
  const hasBody = op.method !== 'GET';
  return fc
    .record({
      path,
      query: queryArbitrary(queryParams, doc, hints, w),
      auth: authArbitrary,
      headerValues,
      contentType: hasBody ? contentType : fc.constant(undefined),
      body: hasBody ? bodyArbitrary(op, doc, hints, w) : fc.constant(undefined),
    })
    .map(({ path: p, query, auth, headerValues: hv, contentType: ct, body }) => {
      const headers: Record<string, string> = {};
      if (ct !== undefined) headers['content-type'] = ct;
      headerParams.forEach((h, i) => {
        if (hv[i] !== null && hv[i] !== undefined) headers[h.name] = String(hv[i]).replace(/[^\x20-\x7e]/g, '');
      });
      return { method: op.method, url: query ? `${p}?${query}` : p, ...auth, headers, body };
    });
}
