import { randomUUID } from 'node:crypto';
import { Pool, type ClientBase, type QueryResult, type QueryResultRow } from 'pg';
import { silentOutboxLogger, type OutboxLogger } from './outbox-logger.js';
import type {
  AttemptError,
  ClaimOptions,
  ClaimedEvent,
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStore,
  RedeliverSelection,
  UndeliveredEvent,
  UndeliveredFilter,
  UndeliveredPage,
} from './outbox-store.js';
import {
  postgresSchema,
  postgresStatements,
  type PostgresClaimedRow,
  type PostgresOutboxRow,
} from './postgres-statements.js';
import { queryPool, withConnection } from './postgres-connection.js';
import {
  attemptBudget,
  checkLimit,
  readSequenceCursor,
  checkTableName,
  decodeAttributes,
  decodeErrors,
  decodeEvent,
  encodeEvent,
  leaseExpired,
} from './stored-record.js';

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
  /** Where the store reports a connection its own pool lost while idle (at `warn`); silent by default. */
  logger?: OutboxLogger;
}

/**
 * The outbox for applications that already run PostgreSQL: `enqueue` takes the caller's
 * transaction client, so the event is stored if and only if the business data commits (the
 * transactional outbox). Relays on many machines share the table: claims use
 * `FOR UPDATE SKIP LOCKED` in one short statement that sets the lease.
 *
 * @example
 * const store = new PostgresOutboxStore({ pool });
 * const outbox = new Outbox({ store });
 * const client = await pool.connect();
 * await client.query('BEGIN');
 * await client.query('INSERT INTO orders …');
 * await outbox.enqueue(event, { topic: 'orders', client });
 * await client.query('COMMIT');
 */
export class PostgresOutboxStore implements OutboxStore<PostgresEnqueueOptions> {
  readonly name = 'postgres';
  /** The pool the store queries through; also handy for the application's own transactions. */
  readonly pool: Pool;
  readonly #owns: boolean;
  readonly #table: string;
  readonly #sql: ReturnType<typeof postgresStatements>;
  #schema: Promise<void> | undefined;

  /** @throws {OutboxError} `INVALID_OPTIONS` for a table name that is not a plain identifier. */
  constructor(options: PostgresOutboxStoreOptions) {
    this.#table = checkTableName(options.table ?? 'outbox_events');
    this.#sql = postgresStatements(this.#table);
    this.#owns = typeof options.pool === 'string';
    this.pool =
      typeof options.pool === 'string'
        ? new Pool({ connectionString: options.pool, connectionTimeoutMillis: 10_000, keepAlive: true })
        : options.pool;
    // An idle client the server dropped (a restart, a failover) must not crash the process: the
    // pool discards it, and the next query opens a new connection. A pool passed in is its owner's
    // to listen to, as pg requires of every pool.
    const logger = options.logger ?? silentOutboxLogger();
    if (this.#owns) {
      this.pool.on('error', (error) =>
        logger.warn({ err: error, store: this.name }, 'outbox store lost an idle PostgreSQL connection'),
      );
    }
  }

  /**
   * Creates the table and its indexes when missing; safe to call from many processes at once.
   * Every other method calls it once first.
   */
  ensureSchema(): Promise<void> {
    this.#schema ??= this.#createSchema().catch((error: unknown) => {
      this.#schema = undefined;
      throw error;
    });
    return this.#schema;
  }

  /** One query on the pool; a lost or refused connection rejects as `STORE_UNAVAILABLE`. */
  #query<TRow extends QueryResultRow = QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<TRow>> {
    return queryPool<TRow>(this.pool, sql, values);
  }

  #createSchema(): Promise<void> {
    return withConnection(this.pool, undefined, async (client) => {
      try {
        await client.query('BEGIN');
        // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: serialise them.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`events-protocol-outbox:${this.#table}`]);
        await client.query(postgresSchema(this.#table));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async enqueue(entry: OutboxEntry, options?: PostgresEnqueueOptions): Promise<void> {
    await this.ensureSchema();
    const [sql, values] = this.#insert(entry);
    if (options?.client === undefined) await this.#query(sql, values);
    else await withConnection(this.pool, options.client, (client) => client.query(sql, values));
  }

  /**
   * One transaction: on a pool client of its own, or inside the caller's transaction (a savepoint
   * there, so a failure rolls back the batch and leaves the caller's transaction usable).
   */
  async enqueueBatch(entries: readonly OutboxEntry[], options?: PostgresEnqueueOptions): Promise<void> {
    if (entries.length === 0) return;
    await this.ensureSchema();
    const [begin, commit, rollback] =
      options?.client !== undefined
        ? ['SAVEPOINT outbox_batch', 'RELEASE SAVEPOINT outbox_batch', 'ROLLBACK TO SAVEPOINT outbox_batch']
        : ['BEGIN', 'COMMIT', 'ROLLBACK'];
    await withConnection(this.pool, options?.client, async (client) => {
      await client.query(begin);
      try {
        for (const entry of entries) {
          const [sql, values] = this.#insert(entry);
          await client.query(sql, values);
        }
        await client.query(commit);
      } catch (error) {
        await client.query(rollback).catch(() => undefined);
        throw error;
      }
    });
  }

  #insert(entry: OutboxEntry): [string, unknown[]] {
    const values = [entry.event.id, entry.topic ?? null, encodeEvent(entry.event), JSON.stringify(entry.attributes)];
    if (entry.failure !== undefined) {
      const failedAt = new Date(entry.failure.at);
      return [this.#sql.insertUndelivered, [...values, entry.enqueuedAt, JSON.stringify([entry.failure]), failedAt]];
    }
    return [this.#sql.insert, [...values, entry.enqueuedAt, entry.availableAt ?? entry.enqueuedAt]];
  }

  async cancel(id: string): Promise<boolean> {
    await this.ensureSchema();
    return (await this.#query(this.#sql.cancel, [id])).rowCount === 1;
  }

  /** Creates the table and its indexes when missing; names what it created. */
  async setup(): Promise<string[]> {
    const { rows } = await this.#query<{ exists: boolean }>(this.#sql.tableExists, [this.#table]);
    await this.ensureSchema();
    return rows[0]?.exists === true ? [] : [`table ${this.#table}`];
  }

  /** One statement: expired leases recorded and counted, then one of them or due events claimed. */
  async claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const budget = attemptBudget(options);
    await this.ensureSchema();
    const lease = `${options.owner}/${randomUUID()}`;
    const lockedUntil = new Date(options.now.getTime() + options.leaseMs);
    const { rows } = await this.#query<PostgresClaimedRow>(this.#sql.claim, [
      options.now,
      options.limit,
      lease,
      lockedUntil,
      budget,
      JSON.stringify(leaseExpired),
    ]);
    return rows
      .filter((row) => row.outcome !== 'undelivered')
      .sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)))
      .map((row) => ({
        receipt: lease,
        event: decodeEvent(row.event),
        topic: row.topic ?? undefined,
        attributes: decodeAttributes(row.attributes),
        attempt: row.attempts,
        errors: decodeErrors(row.errors),
        enqueuedAt: row.enqueued_at,
      }));
  }

  markDelivered(claimed: ClaimedEvent, at: Date): Promise<boolean> {
    return this.#mark(this.#sql.delivered, [claimed.event.id, claimed.receipt, at]);
  }

  markFailed(claimed: ClaimedEvent, error: AttemptError, nextAttemptAt: Date): Promise<boolean> {
    const errors = JSON.stringify([...claimed.errors, error]);
    return this.#mark(this.#sql.failed, [claimed.event.id, claimed.receipt, errors, nextAttemptAt]);
  }

  moveToUndelivered(claimed: ClaimedEvent, error: AttemptError, at: Date): Promise<boolean> {
    const errors = JSON.stringify([...claimed.errors, error]);
    return this.#mark(this.#sql.undelivered, [claimed.event.id, claimed.receipt, errors, at]);
  }

  async #mark(sql: string, values: unknown[]): Promise<boolean> {
    await this.ensureSchema();
    return (await this.#query(sql, values)).rowCount === 1;
  }

  async listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    const limit = checkLimit(options.limit);
    const after = readSequenceCursor(options.cursor);
    await this.ensureSchema();
    const { rows } = await this.#query<PostgresOutboxRow>(this.#sql.listUndelivered, [
      after,
      ...filterValues(options),
      limit + 1,
    ]);
    const page = rows.slice(0, limit);
    return {
      events: page.map(toUndelivered),
      nextCursor: rows.length > limit ? page.at(-1)?.seq : undefined,
    };
  }

  async getUndelivered(id: string): Promise<UndeliveredEvent | undefined> {
    await this.ensureSchema();
    const { rows } = await this.#query<PostgresOutboxRow>(this.#sql.getUndelivered, [id]);
    return rows[0] === undefined ? undefined : toUndelivered(rows[0]);
  }

  async deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    await this.ensureSchema();
    const result =
      'ids' in selection
        ? await this.#query(this.#sql.deleteUndeliveredIds, [[...selection.ids]])
        : await this.#query(this.#sql.deleteUndeliveredFiltered, filterValues(selection));
    return result.rowCount ?? 0;
  }

  async redeliver(selection: RedeliverSelection, now: Date): Promise<number> {
    await this.ensureSchema();
    const result =
      'ids' in selection
        ? await this.#query(this.#sql.redeliverIds, [now, [...selection.ids]])
        : await this.#query(this.#sql.redeliverFiltered, [now, ...filterValues(selection)]);
    return result.rowCount ?? 0;
  }

  async purgeDelivered(olderThan: Date): Promise<number> {
    await this.ensureSchema();
    return (await this.#query(this.#sql.purge, [olderThan])).rowCount ?? 0;
  }

  async pendingCount(): Promise<number> {
    await this.ensureSchema();
    const { rows } = await this.#query<{ count: number }>(this.#sql.pendingCount);
    return rows[0]?.count ?? 0;
  }

  async healthCheck(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#owns && !this.pool.ended) await this.pool.end();
  }
}

function toUndelivered(row: PostgresOutboxRow): UndeliveredEvent {
  return {
    id: row.id,
    topic: row.topic ?? undefined,
    event: decodeEvent(row.event),
    attributes: decodeAttributes(row.attributes),
    attempts: row.attempts,
    errors: decodeErrors(row.errors),
    enqueuedAt: row.enqueued_at,
    failedAt: row.failed_at ?? row.enqueued_at,
  };
}

function filterValues(filter: UndeliveredFilter): [string | null, Date | null, Date | null] {
  return [filter.topic ?? null, filter.since ?? null, filter.until ?? null];
}
