import type { ClientBase, Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { errorCode, isSocketFailure, toStoreError, type StoreFailure } from '../store-error.js';

const store = 'postgres';

// SQLSTATEs of a server that ended or refused the session: class 08 (connection exception),
// admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown, cannot_connect_now
// (starting up or shutting down), too_many_connections, and a standby that cannot take writes.
const lostStates = new Set(['57P01', '57P02', '57P03', '53300', '25006']);

// pg reports a connection that went away, or a pool that could not open one in time, with these
// messages and no code of its own.
const lostMessages = [
  /^Connection terminated/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated due to connection timeout$/,
];

/** Classifies a `pg` error: `unavailable` when the server dropped, refused or never answered the connection. */
export function classifyPostgresError(error: unknown): StoreFailure {
  if (isSocketFailure(error)) return 'unavailable';
  const code = errorCode(error);
  if (code !== undefined && (code.startsWith('08') || lostStates.has(code))) return 'unavailable';
  if (error instanceof Error && lostMessages.some((message) => message.test(error.message))) return 'unavailable';
  return undefined;
}

/** The part of a `pg` client the guard needs: its events. */
interface ClientEvents {
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

function isClient(value: unknown): value is ClientEvents {
  if (typeof value !== 'object' || value === null) return false;
  const events = value as Partial<Record<keyof ClientEvents, unknown>>;
  // A pool emits 'error' for its idle clients: those are the pool owner's to handle, not ours.
  const pool = 'idleCount' in value && 'totalCount' in value;
  return (
    !pool &&
    typeof events.on === 'function' &&
    typeof events.once === 'function' &&
    typeof events.removeListener === 'function'
  );
}

/**
 * Keeps a connection the store is using from crashing the process when the server drops it.
 *
 * `pg` rejects the query in flight and then emits `'error'` on the client (often twice: the
 * server's FATAL message, then "Connection terminated unexpectedly"). A client checked out of a
 * pool has no listener then, nor may a caller's own client: that event would be an uncaught
 * exception. The guard listens while the store works; call the returned function when the work
 * is done. When the connection survived, the listener goes at once, so the caller's client is
 * left as it was. When it was lost, the listener stays until the client's `'end'`, absorbing only
 * the events of the loss the store already reported as the call's failure.
 *
 * @returns a function to call with the work's failure (or `undefined`); it returns whether the
 * connection was lost.
 */
export function guardConnection(queryable: unknown): (failure: unknown) => boolean {
  if (!isClient(queryable)) return (failure) => classifyPostgresError(failure) === 'unavailable';
  const client = queryable;
  let lost = false;
  const absorb = (): void => {
    lost = true;
  };
  client.on('error', absorb);
  return (failure) => {
    if (!lost && classifyPostgresError(failure) !== 'unavailable') {
      client.removeListener('error', absorb);
      return false;
    }
    client.once('end', () => client.removeListener('error', absorb));
    return true;
  };
}

/** One query on `pool` (text and values, or a named statement); a lost or refused connection rejects as `STORE_UNAVAILABLE`. */
export async function queryPool<TRow extends QueryResultRow>(
  pool: Pool,
  query: string | QueryConfig,
  values?: unknown[],
): Promise<QueryResult<TRow>> {
  try {
    return await (typeof query === 'string' ? pool.query<TRow>(query, values) : pool.query<TRow>(query));
  } catch (error) {
    throw toStoreError(store, error, classifyPostgresError(error));
  }
}

/**
 * Runs `work` on one connection: the caller's (`given`), or one checked out of `pool`, released
 * after and discarded when lost. Guarded, so a connection the server drops meanwhile rejects the
 * call as `STORE_UNAVAILABLE` instead of crashing the process with an unhandled `'error'`.
 */
export async function withConnection<T>(
  pool: Pool,
  given: Pick<ClientBase, 'query'> | undefined,
  work: (client: Pick<ClientBase, 'query'>) => Promise<T>,
): Promise<T> {
  let own: PoolClient | undefined;
  let done: (failure: unknown) => boolean;
  if (given === undefined) {
    try {
      [own, done] = await checkOut(pool);
    } catch (error) {
      throw toStoreError(store, error, classifyPostgresError(error));
    }
  } else {
    done = guardConnection(given);
  }
  let failure: unknown;
  try {
    return await work(own ?? (given as Pick<ClientBase, 'query'>));
  } catch (error) {
    failure = error;
    throw toStoreError(store, error, classifyPostgresError(error));
  } finally {
    const lost = done(failure);
    own?.release(lost);
  }
}

/**
 * Checks a client out of `pool`, guarded from the moment the pool hands it over. With the
 * promise of `pool.connect()` the guard would come a microtask late: the pool removes its own
 * listener when it hands a released client to the next waiter, and the server's FATAL message
 * can follow in the same chunk of bytes as the previous user's last reply, before any microtask.
 */
function checkOut(pool: Pool): Promise<[PoolClient, (failure: unknown) => boolean]> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error !== undefined || client === undefined) reject(error ?? new Error('the pool gave no client'));
      else resolve([client, guardConnection(client)]);
    });
  });
}
