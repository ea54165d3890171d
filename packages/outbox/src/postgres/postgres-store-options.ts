import type { ClientBase, Pool } from 'pg';
import type { OutboxLogger } from '../outbox-logger.js';

/** What runs the store's queries: a pool, a client, or the caller's client inside its transaction. */
export type PostgresQueryable = Pick<ClientBase, 'query'>;

/** Store options of `enqueue`: the caller's client, so the event commits or rolls back with its transaction. */
export interface PostgresEnqueueOptions {
  client?: PostgresQueryable;
}

/** How a {@link PostgresOutboxStore} connects. */
export interface PostgresOutboxStoreOptions {
  /** A `pg` pool (not closed by the store) or a connection string (the store owns that pool). */
  pool: Pool | string;
  /** The table, `outbox_events` by default; may be schema-qualified only through `search_path`. */
  table?: string;
  /**
   * Whether `waitForEntries` listens for enqueues (`LISTEN` on one connection of the store's own,
   * opened with the pool's settings): `true` by default. Turn it off behind a pooler in
   * transaction mode, where `LISTEN` cannot work; waits then last their whole timeout.
   */
  listen?: boolean;
  /**
   * Whether the statements of the hot path (enqueue, claim, settle) are named prepared statements,
   * planned once per connection: `true` by default. Turn it off behind a pooler that cannot keep
   * them (PgBouncer before 1.21 in transaction mode).
   */
  prepareStatements?: boolean;
  /** Where the store reports a connection it lost while idle (at `warn`); silent by default. */
  logger?: OutboxLogger;
}
