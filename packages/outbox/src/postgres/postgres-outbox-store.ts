import { randomUUID } from 'node:crypto';
import { Pool, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { silentOutboxLogger } from '../outbox-logger.js';
import type {
  ClaimOptions,
  ClaimedEvent,
  ListPendingOptions,
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStats,
  OutboxStore,
  Page,
  PendingEvent,
  RedeliverSelection,
  Settlement,
  StoredEntry,
  UndeliveredFilter,
  UndeliveredPage,
} from '../outbox-store.js';
import { attemptBudget, checkLimit, checkTableName, leaseExpired, readSequenceCursor } from '../stored-record.js';
import { queryPool, withConnection } from './postgres-connection.js';
import { PostgresEntryListener } from './postgres-listener.js';
import { planInsert, settledFlags, settlementsParameter, storedFlags } from './postgres-parameters.js';
import {
  toClaimedEvents,
  toOutboxStats,
  toPendingEvent,
  toStoredEntry,
  toUndeliveredEvent,
  type PostgresClaimedRow,
  type PostgresEntryRow,
  type PostgresStatsRow,
} from './postgres-rows.js';
import { preparePostgresTable } from './postgres-schema.js';
import type { PostgresEnqueueOptions, PostgresOutboxStoreOptions } from './postgres-store-options.js';
import { postgresChannel, postgresStatements, type PostgresStatements } from './postgres-statements.js';

/**
 * The outbox for applications that already run PostgreSQL: `enqueue` takes the caller's
 * transaction client, so the entry is stored if and only if the business data commits (the
 * transactional outbox), and waiting relays hear of it on COMMIT (`NOTIFY`). Relays on many
 * machines share the table: claims use `FOR UPDATE SKIP LOCKED` in one short statement that sets
 * the lease, and a whole batch of outcomes is settled in one statement.
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
  readonly #channel: string;
  readonly #sql: PostgresStatements;
  readonly #listener: PostgresEntryListener;
  readonly #named: boolean;
  #schema: Promise<string[]> | undefined;

  /** @throws {OutboxError} `INVALID_OPTIONS` for a table name that is not a plain identifier. */
  constructor(options: PostgresOutboxStoreOptions) {
    this.#table = checkTableName(options.table ?? 'outbox_events');
    this.#channel = postgresChannel(this.#table);
    this.#sql = postgresStatements(this.#table);
    this.#owns = typeof options.pool === 'string';
    this.#named = options.prepareStatements !== false;
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
    this.#listener = new PostgresEntryListener({
      connection: this.pool.options,
      channel: this.#channel,
      listen: options.listen !== false,
      logger,
    });
  }

  /**
   * Creates the table and its indexes when missing, and converts a table of the previous version
   * (its `errors` become `history`); safe to call from many processes at once. Every other method
   * calls it once first.
   */
  async ensureSchema(): Promise<void> {
    await this.#ready();
  }

  #ready(): Promise<string[]> {
    this.#schema ??= withConnection(this.pool, undefined, (client) => preparePostgresTable(client, this.#table)).catch(
      (error: unknown) => {
        this.#schema = undefined;
        throw error;
      },
    );
    return this.#schema;
  }

  /** One query on the pool; a lost or refused connection rejects as `STORE_UNAVAILABLE`. */
  async #query<TRow extends QueryResultRow = QueryResultRow>(
    sql: string,
    values?: unknown[],
  ): Promise<QueryResult<TRow>> {
    await this.#ready();
    return queryPool<TRow>(this.pool, sql, values);
  }

  /** A statement of the hot path, named so each connection plans it once (unless told otherwise). */
  #hot(statement: 'insert' | 'claim' | 'settle', values: unknown[]): QueryConfig {
    const text = this.#sql[statement];
    return this.#named ? { name: `${this.#table}:${statement}`, text, values } : { text, values };
  }

  enqueue(entry: OutboxEntry, options?: PostgresEnqueueOptions): Promise<boolean> {
    return this.#insert([entry], options).then(([stored]) => stored === true);
  }

  /**
   * One statement, so one transaction: of its own, or a part of the caller's (where a failure
   * aborts the caller's transaction, as any failed statement does).
   */
  enqueueBatch(entries: readonly OutboxEntry[], options?: PostgresEnqueueOptions): Promise<boolean[]> {
    return this.#insert(entries, options);
  }

  async #insert(entries: readonly OutboxEntry[], options: PostgresEnqueueOptions | undefined): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const plan = planInsert(entries);
    const query = this.#hot('insert', [...plan.values, this.#channel]);
    await this.#ready();
    const { rows } =
      options?.client === undefined
        ? await queryPool<{ id: string }>(this.pool, query)
        : await withConnection(this.pool, options.client, (client) => client.query<{ id: string }>(query));
    return storedFlags(
      plan,
      rows.map((row) => row.id),
    );
  }

  async cancel(id: string): Promise<boolean> {
    return (await this.#query(this.#sql.cancel, [id])).rowCount === 1;
  }

  /**
   * Creates the table and its indexes when missing, or converts a table of the previous version;
   * names what it created or converted (`[]` when everything was in place).
   */
  async setup(): Promise<string[]> {
    const first = this.#schema === undefined;
    const created = await this.#ready();
    return first ? created : [];
  }

  /** One statement: expired leases recorded and counted, then one of them or due entries claimed. */
  async claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const budget = attemptBudget(options);
    const lease = `${options.owner}/${randomUUID()}`;
    const lockedUntil = new Date(options.now.getTime() + options.leaseMs);
    await this.#ready();
    this.#listener.noteClaim();
    const { rows } = await queryPool<PostgresClaimedRow>(
      this.pool,
      this.#hot('claim', [options.now, options.limit, lease, lockedUntil, budget, JSON.stringify(leaseExpired)]),
    );
    return toClaimedEvents(rows, lease);
  }

  /** One statement for the whole batch: only settlements whose lease still holds change anything. */
  async settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]> {
    if (settlements.length === 0) return [];
    const query = this.#hot('settle', [settlementsParameter(settlements), now]);
    await this.#ready();
    const { rows } = await queryPool<{ position: number }>(this.pool, query);
    return settledFlags(
      settlements.length,
      rows.map((row) => row.position),
    );
  }

  /** Waits on the store's one listening connection; see {@link OutboxStore.waitForEntries}. */
  waitForEntries(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return this.#listener.wait(timeoutMs, signal);
  }

  async listPending(options: ListPendingOptions = {}): Promise<Page<PendingEvent>> {
    const limit = checkLimit(options.limit);
    const after = readSequenceCursor(options.cursor);
    const { rows } = await this.#query<PostgresEntryRow>(this.#sql.listPending, [
      after,
      options.topic ?? null,
      limit + 1,
    ]);
    return pageOf(rows, limit, toPendingEvent);
  }

  async listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    const limit = checkLimit(options.limit);
    const after = readSequenceCursor(options.cursor);
    const { rows } = await this.#query<PostgresEntryRow>(this.#sql.listUndelivered, [
      after,
      ...filterValues(options),
      limit + 1,
    ]);
    return pageOf(rows, limit, toUndeliveredEvent);
  }

  async getEntry(id: string): Promise<StoredEntry | undefined> {
    const { rows } = await this.#query<PostgresEntryRow>(this.#sql.getEntry, [id]);
    return rows[0] === undefined ? undefined : toStoredEntry(rows[0]);
  }

  async deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    const result =
      'ids' in selection
        ? await this.#query(this.#sql.deleteUndeliveredIds, [[...selection.ids]])
        : await this.#query(this.#sql.deleteUndeliveredFiltered, filterValues(selection));
    return result.rowCount ?? 0;
  }

  async redeliver(selection: RedeliverSelection, now: Date): Promise<number> {
    const { rows } =
      'ids' in selection
        ? await this.#query<{ count: number }>(this.#sql.redeliverIds, [now, this.#channel, [...selection.ids]])
        : await this.#query<{ count: number }>(this.#sql.redeliverFiltered, [
            now,
            this.#channel,
            ...filterValues(selection),
          ]);
    return rows[0]?.count ?? 0;
  }

  async purgeDelivered(olderThan: Date): Promise<number> {
    return (await this.#query(this.#sql.purge, [olderThan])).rowCount ?? 0;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.#query<{ count: number }>(this.#sql.pendingCount);
    return rows[0]?.count ?? 0;
  }

  /** One statement of scalar subqueries, each over a partial index. */
  async stats(now: Date): Promise<OutboxStats> {
    const { rows } = await this.#query<PostgresStatsRow>(this.#sql.stats, [now]);
    return toOutboxStats(rows[0]);
  }

  async healthCheck(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Ends every wait and the listening connection, then the pool when the store opened it. */
  async close(): Promise<void> {
    await this.#listener.close();
    if (this.#owns && !this.pool.ended) await this.pool.end();
  }
}

function pageOf<T>(rows: readonly PostgresEntryRow[], limit: number, read: (row: PostgresEntryRow) => T): Page<T> {
  const page = rows.slice(0, limit);
  return { events: page.map(read), nextCursor: rows.length > limit ? page.at(-1)?.seq : undefined };
}

function filterValues(filter: UndeliveredFilter): [string | null, Date | null, Date | null] {
  return [filter.topic ?? null, filter.since ?? null, filter.until ?? null];
}
