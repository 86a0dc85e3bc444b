import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';

/**
 * Shared pieces of the fuzz suites: hostile values (strings, numbers, JSON texts), and a write
 * probe that tells whether a request wrote to the database.
 */

/** Fixed seeds, so a failure reproduces; fast-check prints the seed and path of a counterexample. */
export const FUZZ_SEED = 20_260_530;
/** Inputs per HTTP route and per WebSocket message type. */
export const FUZZ_RUNS = 1000;

/** Strings that break naive code: NUL, lone surrogates, numbers in disguise, injection, path tricks. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFF',
  '😀🚑',
  '\u202Egnp.exe',
  '\uFEFFbom',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '  42  ',
  '42abc',
  '4,2',
  'null',
  'true',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  "' OR '1'='1",
  '"; drop table users; --',
  '../../etc/passwd',
  '%00',
  '%zz',
  '%',
  '\\',
  '\r\n',
  '<script>alert(1)</script>',
  '${7*7}',
  '北京大学 急救',
  'Ω≈ç√∫',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30',
  '9999-99-99',
  '0000-00-00',
];

/** Numbers at and past every boundary a schema might have (JSON turns NaN and ±Infinity into null). */
export const EDGE_NUMBERS = [
  0, -0, 1, -1, 0.5, -0.5, 8, 91, -91, 181, -181, 366, 5001, 1e6, 1e21, -1e21, 1e308, -1e308, 5e-324,
  2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), Number.NaN, Number.POSITIVE_INFINITY,
];

/** Any string: curated nasties, arbitrary code points (lone surrogates included), long runs (at most 20 KB). */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 256, max: 5_000 }), fc.constantFrom('a', 'é', '急', '\u0000', '😀')).map(([n, c]) => c.repeat(n)) },
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
);

/** Arrays or objects nested `depth` deep. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 10, max: 2000 }), fc.boolean())
  .map(([depth, asArray]) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
    return v;
  });

/** A value of any JSON type, often of the wrong type for the field it lands in. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { __proto__: null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
);

/** JSON texts a parser may choke on: broken, truncated, deep, huge numbers, BOMs, duplicate keys. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 50_000 }).map((n) => '{"a":'.repeat(n)),
  fc.constantFrom(
    '',
    'null',
    '{',
    '{"a":1,"a":2}',
    '\uFEFF{}',
    '{"__proto__":{"admin":true}}',
    '1' + '0'.repeat(400),
    '"\\u0000"',
    '"\\ud800"',
    '{"a":"\\u0000"}',
    '[1,2,3,]',
    "{'a':1}",
    'NaN',
  ),
);

export type TableCounts = Record<string, number>;

/** Every table of the schema: "never a write" means none of these gains or loses a row. */
export const TABLES = [
  'incidents',
  'dispatches',
  'outbox',
  'incident_events',
  'aeds',
  'qr_spots',
  'users',
  'sessions',
  'volunteer_duty',
  'push_subscriptions',
  'campuses',
  'buildings',
  'walkways',
  'app_settings',
] as const;

async function queryRows(database: Database, text: string): Promise<Record<string, unknown>[]> {
  const result = (await database.db.execute(sql.raw(text))) as unknown as { rows?: Record<string, unknown>[] } & Record<string, unknown>[];
  return result.rows ?? result;
}

/**
 * Detects writes. PostgreSQL hands out a transaction id to any transaction that writes (or locks
 * rows), so `pg_current_snapshot()`'s xmax stays put across requests that only read: one cheap
 * query per request. When it moves, the row counts of every table (counted explicitly: PGlite
 * keeps no live-tuple statistics) say whether rows were written or the transaction only locked
 * rows or rolled back.
 */
export function createWriteProbe(database: Database) {
  let cached: { xmax: string; counts: TableCounts } | undefined;
  const countQuery = `select ${TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`;
  return {
    /** The next transaction id to be assigned: moves on every write. */
    async xmax(): Promise<string> {
      const [row] = await queryRows(database, 'select pg_current_snapshot()::text as s');
      return String(row?.s).split(':')[1] ?? '';
    },
    async counts(): Promise<TableCounts> {
      const [row] = await queryRows(database, countQuery);
      return row as TableCounts;
    },
    /** Row counts as of `xmax`, counted again only when something wrote since the last count. */
    async countsAt(xmax: string): Promise<TableCounts> {
      if (cached?.xmax !== xmax) cached = { xmax, counts: await this.counts() };
      return cached.counts;
    },
  };
}

export type WriteProbe = ReturnType<typeof createWriteProbe>;

/** Tables whose row count differs, as `table: before -> after`. */
export function countChanges(before: TableCounts, after: TableCounts): string[] {
  return TABLES.filter((t) => before[t] !== after[t]).map((t) => `${t}: ${before[t]} -> ${after[t]}`);
}

/** A tally of outcomes per test, printed once so the report can say what the inputs reached. */
export function createTally() {
  const byKey = new Map<string, Map<string, number>>();
  return {
    add(key: string, outcome: string) {
      const m = byKey.get(key) ?? new Map<string, number>();
      m.set(outcome, (m.get(outcome) ?? 0) + 1);
      byKey.set(key, m);
    },
    summary(): string {
      return [...byKey.entries()]
        .map(([k, m]) => `${k}: ${[...m.entries()].sort().map(([o, n]) => `${o}x${n}`).join(' ')}`)
        .join('\n');
    },
  };
}
