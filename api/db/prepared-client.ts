import type { PendingQuery, Row, Sql } from 'postgres';

/**
 * The `postgres` client as drizzle should see it: every statement prepared, and transactions that
 * do not wait for BEGIN or hold COMMIT back.
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
      // drizzle opens a transaction with begin(fn) and runs its statements on the client handed to fn.
      if (key === 'begin') {
        return (...args: unknown[]) => {
          if (args.length !== 1) throw new Error('Transaction options are not supported: set them inside the transaction');
          return pipelinedTransaction(target, args[0] as (tx: Sql) => unknown);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A postgres.js query as the driver holds it: `executed` once first awaited, `handler` sends it. */
type IssuedQuery = PendingQuery<Row[]> & { executed: boolean; handler(q: IssuedQuery): void; reject(err: unknown): void };

/**
 * A transaction on one reserved connection, in as few round trips as its statements allow.
 *
 * postgres.js's own begin() waits for BEGIN's answer before the first statement goes out, and sends
 * COMMIT only once the callback's promise settles, so a transaction of two batches of statements
 * took four round trips. Here BEGIN goes out with the first batch, and a callback may return while
 * its last statements are still in flight (`incidents.ts` write()): COMMIT then goes out right behind
 * them. The driver sends a connection's statements in the order they were first awaited; PostgreSQL
 * refuses every statement after a failed one in a transaction and turns its COMMIT into a rollback.
 * So nothing is committed unless every statement succeeded, and the transaction then rejects with
 * the first failure, as one whose callback awaited everything would.
 *
 * A statement that would reach the connection after COMMIT or ROLLBACK (built in the transaction but
 * first awaited later) is refused instead of running outside it; one built but not yet sent when the
 * callback returns rolls the transaction back. A callback that throws rolls back. Savepoints
 * (drizzle's nested transactions) run in order on the same connection.
 */
export async function pipelinedTransaction<T>(client: Sql, fn: (tx: Sql) => T | Promise<T>): Promise<T> {
  const conn = await client.reserve();
  const issued: IssuedQuery[] = [];
  /** Set as COMMIT or ROLLBACK is handed to the connection: nothing may follow it. */
  let sealed = false;
  const create = (query: string, params?: unknown[], options?: Record<string, unknown>) =>
    conn.unsafe(query, params as never, { ...options, prepare: true }) as unknown as IssuedQuery;
  const issue = (query: string, params?: unknown[], options?: Record<string, unknown>): IssuedQuery => {
    const q = create(query, params, options);
    const send = q.handler;
    q.handler = (x) => (sealed ? x.reject(new Error(`Statement sent after its transaction ended: ${query.slice(0, 80)}`)) : send(x));
    issued.push(q);
    return q;
  };
  /** COMMIT or ROLLBACK: sent behind every statement already on its way, and nothing after it. */
  const end = (command: 'commit' | 'rollback') => {
    const q = create(command);
    const send = q.handler;
    q.handler = (x) => {
      sealed = true;
      send(x);
    };
    return q;
  };
  const scope = new Proxy(conn, {
    get(target, key) {
      if (key === 'unsafe') return issue;
      if (key === 'savepoint') return savepoint;
      if (key === 'begin' || key === 'reserve' || key === 'release') throw new Error(`${String(key)}() inside a transaction`);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Sql;

  async function savepoint<R>(inner: (tx: Sql) => R | Promise<R>): Promise<R> {
    const name = `pipelined_${issued.length}`;
    await issue(`savepoint ${name}`);
    try {
      const result = await inner(scope);
      await issue(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await issue(`rollback to savepoint ${name}`);
      throw err;
    }
  }

  let ended = false;
  try {
    // Not awaited: it goes out with the callback's first statements. A failure shows in those too.
    issue('begin').catch(() => {});
    const result = await fn(scope);
    if (issued.some((q) => !q.executed)) throw new Error('A statement of the transaction was built but not sent before it ended');
    ended = true;
    const commit = end('commit');
    const outcomes = await Promise.allSettled([...issued, commit]);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    // PostgreSQL answers the COMMIT of a transaction that a failed statement aborted with ROLLBACK.
    const answer = (outcomes.at(-1) as PromiseFulfilledResult<{ command?: string }>).value.command;
    if (answer !== 'COMMIT') throw new Error(`Transaction ended with ${answer ?? 'no answer'} instead of COMMIT`);
    return result;
  } catch (err) {
    // After COMMIT went out there is no transaction left to roll back (ROLLBACK would only warn).
    if (!ended) await end('rollback').catch(() => {});
    // Statements still in flight settle before the connection goes to another caller.
    await Promise.allSettled(issued.filter((q) => q.executed));
    throw err;
  } finally {
    conn.release();
  }
}
