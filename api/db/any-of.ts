import { sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::type[])`: one array parameter, where drizzle's inArray writes one parameter per
 * value. The statement's text is then the same whatever the list's length, so PostgreSQL parses and
 * plans it once per connection (the driver prepares it) instead of once per list length; hot lookups
 * by H3 cells or ids send lists of varying length on every SOS. An empty list matches nothing.
 */
export function anyOf(column: Column | SQL, values: readonly (string | number)[], type: 'text' | 'uuid' | 'bigint'): SQL {
  return sql`${column} = any(${pgArrayLiteral(values)}::${sql.raw(type)}[])`;
}

/**
 * A PostgreSQL array literal with every element quoted and null as NULL: `{"a",NULL}`. Sent as one
 * text parameter and cast, it carries a list of any length in a statement whose text never changes.
 */
export function pgArrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
