import type { Sql } from 'postgres';

/**
 * The `postgres` client as drizzle should see it: every statement prepared.
 *
 * drizzle-orm's postgres-js driver asks for a prepared statement only for queries built with
 * `.prepare(name)`; every other query goes out unprepared, and for a statement with parameters
 * the driver then needs their types first: Parse + Describe, wait for the answer, then Bind +
 * Execute. Two round trips and a parse on the server for every query: an SOS with seventeen
 * statements paid seventeen extra round trips (seen in PostgreSQL's log as a parse per bind).
 * Prepared, a statement is parsed once per connection and then costs one round trip.
 *
 * Statements are kept per connection by their text, so the set grows with the distinct texts sent:
 * lists are passed as one array parameter (any-of.ts) and batches of positions through unnest, so
 * the texts that repeat are few; the driver's connections are replaced every 30 to 60 minutes
 * (postgres.js `max_lifetime`), which bounds what an odd import leaves behind.
 */
export function preparedForDrizzle<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, key) {
      if (key === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      // drizzle runs a transaction's statements on the client that begin() and savepoint() hand it.
      if (key === 'begin' || key === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: Sql) => unknown;
          const open = Reflect.get(target, key, target) as (...a: unknown[]) => unknown;
          return open.apply(target, [...args, (tx: Sql) => fn(preparedForDrizzle(tx))]);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
