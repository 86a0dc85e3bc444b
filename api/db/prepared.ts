import { sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

/** What drizzle's `.prepare()` hands back, as far as callers need it. */
interface Prepared<R> {
  execute(placeholders?: Record<string, unknown>): Promise<R>;
}

/**
 * A query that drizzle builds once per database handle instead of on every call.
 *
 * Building a query is most of drizzle's cost: `npm run bench -- sos` spent 40-100 µs of CPU on each
 * select or insert an SOS sends (walking the query's tree, casing every column name), about 2 ms per
 * SOS on its hot reads alone. A prepared query keeps the SQL text and fills in the placeholders
 * (`sql.placeholder('name')`) when it runs.
 *
 * `build` receives the handle to prepare on. drizzle binds a prepared query to the connection of
 * the handle it was prepared on, so queries are kept per handle (a WeakMap: a closed database's, or a
 * finished transaction's, go with it): inside a transaction the query is built for the transaction.
 */
export function preparedQuery<R, P extends Record<string, unknown> = Record<string, never>>(name: string, build: (db: Db, name: string) => Prepared<R>) {
  const kept = new WeakMap<Db, Prepared<R>>();
  return (db: Db, placeholders?: P): Promise<R> => {
    let query = kept.get(db);
    if (!query) {
      query = build(db, name);
      kept.set(db, query);
    }
    return query.execute(placeholders);
  };
}

/**
 * `column = any(:placeholder::type[])`, the prepared form of anyOf (any-of.ts): pass the list as
 * `pgArrayLiteral(values)` under the placeholder's name.
 */
export function anyOfPlaceholder(column: Column | SQL, placeholder: string, type: 'text' | 'uuid' | 'bigint'): SQL {
  return sql`${column} = any(${sql.placeholder(placeholder)}::${sql.raw(type)}[])`;
}
