import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../support/db.ts';
import { countChanges, createTally, createWriteProbe, FUZZ_RUNS, FUZZ_SEED } from './fuzz-helpers.ts';
import { createFuzzApp } from './http-app.ts';
import { operationsOf, requestArbitrary, type FuzzRequest, type OpenApiDocument, type Operation, type Tuning } from './http-inputs.ts';

/**
 * Property-based fuzzing of every operation in the app's own OpenAPI document: 1,000 random
 * requests each (path parameters, query strings, bodies, content types, with and without a token).
 * Never a 5xx; every 4xx has the error body; a 2xx matches its documented schema; a 4xx writes no
 * row (every request is checked: see createWriteProbe); a GET never writes at all.
 */

// Valid inputs that are slow on purpose (scrypt on sign-in, a coverage sweep, the whole campus map)
// are drawn less often, so the suite stays fast; the 1,000 inputs per route are unchanged.
const TUNING: Record<string, Tuning> = {
  'POST /auth/login': { plausible: 3 },
  'POST /auth/register': { plausible: 3 },
  'GET /admin/coverage': { plausible: 5 },
  'GET /campuses/{slug}/map': { plausible: 10 },
};

const database = await openTestDb('pglite');
const fuzz = await createFuzzApp(database);
const { app } = fuzz.prepared;
const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument;
const operations = operationsOf(doc);
const probe = createWriteProbe(database);
const tally = createTally();

type ZodLike = { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } };
type RouteDefinition = { type: string; route: { method: string; path: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> } };
const definitions = ((app as unknown as { openAPIRegistry: { definitions: RouteDefinition[] } }).openAPIRegistry.definitions).filter((d) => d.type === 'route');

function definitionOf(op: Operation) {
  const found = definitions.find((d) => d.route.method.toUpperCase() === op.method && d.route.path === `/api${op.path}`);
  if (!found) throw new Error(`no route definition for ${op.method} ${op.path}`);
  return found.route;
}

const key = (op: Operation) => `${op.method} ${op.path}`;

function authorizationOf(op: Operation, r: FuzzRequest): string | undefined {
  if (r.auth === 'none') return undefined;
  if (r.auth === 'malformed' || r.auth === 'forged') return r.authorization;
  // Logging out revokes the token: use a session of its own, never the shared ones.
  if (key(op) === 'POST /auth/logout') return `Bearer ${fuzz.disposableTokens.pop() ?? 'spent-session-token-xx'}`;
  return `Bearer ${fuzz.tokens[r.auth]}`;
}

function send(op: Operation, r: FuzzRequest) {
  const authorization = authorizationOf(op, r);
  return app.request(r.url, { method: r.method, headers: { ...r.headers, ...(authorization ? { authorization } : {}) }, body: r.body as BodyInit | undefined });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A 2xx is a documented status, in a documented content type, and its JSON matches the schema. */
function expectDocumented(op: Operation, res: Response, text: string) {
  const documented = definitionOf(op).responses[String(res.status)];
  expect(documented, `undocumented ${res.status}`).toBeDefined();
  const content = documented?.content ?? {};
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  expect(Object.keys(content), `content type ${type}`).toContain(type);
  const schema = content[type]?.schema as Partial<ZodLike> | undefined;
  if (type.endsWith('json') && schema?.safeParse) {
    const parsed = schema.safeParse(parseJson(text));
    expect(parsed.success, `2xx body off its schema: ${JSON.stringify(parsed.error?.issues)?.slice(0, 500)}`).toBe(true);
  }
}

async function check(op: Operation, r: FuzzRequest) {
  const before = await probe.xmax();
  const countsBefore = op.method === 'GET' ? undefined : await probe.countsAt(before);
  const res = await send(op, r);
  const text = await res.text();
  const after = await probe.xmax();
  const wrote = after !== before;
  tally.add(key(op), `${res.status}${wrote ? '+w' : ''}`);
  const where = `${r.method} ${r.url.slice(0, 300)} -> ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
    const body = parseJson(text) as { error?: { code?: unknown; message?: unknown } } | undefined;
    expect(typeof body?.error?.code, where).toBe('string');
    expect(typeof body?.error?.message, where).toBe('string');
  } else {
    expect(res.status, where).toBeGreaterThanOrEqual(200);
    if (definitionOf(op).security && ['none', 'malformed', 'forged'].includes(r.auth)) throw new Error(`a secured route answered ${res.status} without a valid token: ${where}`);
    expectDocumented(op, res, text);
  }
  if (op.method === 'GET') {
    expect(wrote, `a GET wrote: ${where}`).toBe(false);
  } else if (res.status >= 400 && wrote) {
    const changes = countChanges(countsBefore!, await probe.counts());
    expect(changes, `a ${res.status} changed row counts: ${where}`).toEqual([]);
  }
}

describe('fuzzing every HTTP route with random input', () => {
  afterAll(async () => {
    console.log(`[http-fuzz] ${operations.length} operations x ${FUZZ_RUNS} inputs; outcomes (status, +w = a write transaction ran):\n${tally.summary()}`);
    await fuzz.prepared.close();
    await database.close();
  });

  it('finds every route of the app in its OpenAPI document', () => {
    expect(operations.length).toBe(definitions.length);
    expect(operations.length).toBeGreaterThanOrEqual(45);
  });

  it.each(operations.map((op) => [key(op), op] as const))('%s never answers 5xx and never writes on a 4xx', async (_name, op) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op, doc, fuzz.hints, TUNING[key(op)]), (r) => check(op, r)),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });
});
