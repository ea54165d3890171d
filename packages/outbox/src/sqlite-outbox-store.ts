import Database from 'better-sqlite3';
import { OutboxError } from './outbox-error.js';
import { classifySqliteError } from './sqlite-busy.js';
import { toStoreError } from './store-error.js';
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
import { claimSqliteRows } from './sqlite-claim.js';
import { sqliteSchema, type SqliteStatements, prepareStatements } from './sqlite-statements.js';
import {
  checkLimit,
  readSequenceCursor,
  checkTableName,
  decodeAttributes,
  decodeErrors,
  decodeEvent,
  encodeEvent,
} from './stored-record.js';

/** How a {@link SqliteOutboxStore} opens its database. */
export interface SqliteOutboxStoreOptions {
  /** The database file, created when missing. Give this or `database`. */
  filename?: string;
  /** An open better-sqlite3 database instead of `filename`; the store does not close it. */
  database?: Database.Database;
  /** The table, `outbox_events` by default. */
  table?: string;
  /**
   * `full` (the default) syncs every commit to disk, so enqueued events survive a power loss as
   * well as `kill -9`; `normal` survives `kill -9` and is faster.
   */
  synchronous?: 'full' | 'normal';
  /** How long to wait for another process's write lock, in ms (5,000 by default). */
  busyTimeoutMs?: number;
}

/** The SQLite row of one event (times in ms since the epoch). */
export interface SqliteOutboxRow {
  seq: number;
  id: string;
  topic: string | null;
  event: string;
  attributes: string;
  status: 'pending' | 'delivered' | 'undelivered';
  attempts: number;
  errors: string;
  enqueued_at: number;
  available_at: number;
  locked_until: number | null;
  lease: string | null;
  delivered_at: number | null;
  failed_at: number | null;
}

/**
 * The embedded default store: one SQLite file in WAL mode, one transaction per state change, so
 * an event is on disk before `enqueue` resolves and a relay killed with `kill -9` loses nothing.
 * Several processes may share the file (a producer and a relay): claims take the write lock.
 *
 * @example
 * const store = new SqliteOutboxStore({ filename: '/var/lib/app/outbox.db' });
 * const outbox = new Outbox({ store });
 */
export class SqliteOutboxStore implements OutboxStore {
  readonly name = 'sqlite';
  readonly #database: Database.Database;
  readonly #ownsDatabase: boolean;
  readonly #statements: SqliteStatements;
  readonly #claim: (options: ClaimOptions) => ClaimedEvent[];
  readonly #insertBatch: (entries: readonly OutboxEntry[]) => void;
  readonly #table: string;
  /** What opening the store created, reported once by {@link setup}. */
  #created: string[];

  /** @throws {OutboxError} `INVALID_OPTIONS` without a `filename` or `database`, or for a bad table name. */
  constructor(options: SqliteOutboxStoreOptions) {
    const table = checkTableName(options.table ?? 'outbox_events');
    if (options.database === undefined && options.filename === undefined) {
      throw new OutboxError('INVALID_OPTIONS', 'SqliteOutboxStore needs a filename or a database');
    }
    this.#ownsDatabase = options.database === undefined;
    this.#database = options.database ?? new Database(options.filename);
    this.#table = table;
    try {
      this.#database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      this.#database.pragma('journal_mode = WAL');
      this.#database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.#created = this.#createSchema();
    } catch (error) {
      if (this.#ownsDatabase) this.#database.close();
      throw toStoreError(this.name, error, classifySqliteError(error));
    }
    this.#statements = prepareStatements(this.#database, table);
    this.#insertBatch = this.#database.transaction((entries: readonly OutboxEntry[]) => {
      for (const entry of entries) this.#insert(entry);
    });
    // IMMEDIATE takes the write lock before reading, so two relays never claim the same row.
    const claimTransaction = this.#database.transaction((options: ClaimOptions) =>
      claimSqliteRows(this.#statements, options),
    );
    this.#claim = (claimOptions) => claimTransaction.immediate(claimOptions);
  }

  enqueue(entry: OutboxEntry): Promise<void> {
    return settle(() => this.#insert(entry));
  }

  /** One transaction: an entry that fails (its JSON, the disk) rolls back the entries before it. */
  enqueueBatch(entries: readonly OutboxEntry[]): Promise<void> {
    return settle(() => this.#insertBatch(entries));
  }

  #insert(entry: OutboxEntry): void {
    const row = {
      id: entry.event.id,
      topic: entry.topic ?? null,
      event: encodeEvent(entry.event),
      attributes: JSON.stringify(entry.attributes),
      at: entry.enqueuedAt.getTime(),
    };
    if (entry.failure === undefined) {
      this.#statements.insert.run({ ...row, available: (entry.availableAt ?? entry.enqueuedAt).getTime() });
    } else {
      this.#statements.insertUndelivered.run({
        ...row,
        errors: JSON.stringify([entry.failure]),
        failedAt: new Date(entry.failure.at).getTime(),
      });
    }
  }

  cancel(id: string): Promise<boolean> {
    return settle(() => this.#statements.cancel.run({ id }).changes === 1);
  }

  claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return settle(() => this.#claim(options));
  }

  markDelivered(claimed: ClaimedEvent, at: Date): Promise<boolean> {
    return settle(
      () =>
        this.#statements.delivered.run({ id: claimed.event.id, lease: claimed.receipt, at: at.getTime() }).changes ===
        1,
    );
  }

  markFailed(claimed: ClaimedEvent, error: AttemptError, nextAttemptAt: Date): Promise<boolean> {
    const errors = JSON.stringify([...claimed.errors, error]);
    const parameters = { id: claimed.event.id, lease: claimed.receipt, errors, next: nextAttemptAt.getTime() };
    return settle(() => this.#statements.failed.run(parameters).changes === 1);
  }

  moveToUndelivered(claimed: ClaimedEvent, error: AttemptError, at: Date): Promise<boolean> {
    const errors = JSON.stringify([...claimed.errors, error]);
    const parameters = { id: claimed.event.id, lease: claimed.receipt, errors, at: at.getTime() };
    return settle(() => this.#statements.undelivered.run(parameters).changes === 1);
  }

  listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    return settle(() => this.#listUndelivered(options));
  }

  #listUndelivered(options: ListUndeliveredOptions): UndeliveredPage {
    const limit = checkLimit(options.limit);
    const rows = this.#statements.listUndelivered.all({
      ...filterParameters(options),
      after: BigInt(readSequenceCursor(options.cursor)),
      limit: limit + 1,
    }) as SqliteOutboxRow[];
    const page = rows.slice(0, limit);
    return {
      events: page.map(toUndelivered),
      nextCursor: rows.length > limit ? String(page.at(-1)?.seq) : undefined,
    };
  }

  getUndelivered(id: string): Promise<UndeliveredEvent | undefined> {
    return settle(() => {
      const row = this.#statements.getUndelivered.get({ id }) as SqliteOutboxRow | undefined;
      return row === undefined ? undefined : toUndelivered(row);
    });
  }

  redeliver(selection: RedeliverSelection, now: Date): Promise<number> {
    const at = now.getTime();
    if ('ids' in selection) {
      const redeliverIds = this.#database.transaction((ids: readonly string[]) =>
        ids.reduce((count, id) => count + this.#statements.redeliverId.run({ id, now: at }).changes, 0),
      );
      return settle(() => redeliverIds(selection.ids));
    }
    return settle(() => this.#statements.redeliverFiltered.run({ ...filterParameters(selection), now: at }).changes);
  }

  deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    if ('ids' in selection) {
      const deleteIds = this.#database.transaction((ids: readonly string[]) =>
        ids.reduce((count, id) => count + this.#statements.deleteUndeliveredId.run({ id }).changes, 0),
      );
      return settle(() => deleteIds(selection.ids));
    }
    return settle(() => this.#statements.deleteUndeliveredFiltered.run(filterParameters(selection)).changes);
  }

  setup(): Promise<string[]> {
    return settle(() => {
      const created = [...this.#created, ...this.#createSchema()];
      this.#created = [];
      return created;
    });
  }

  /** Creates the table and its indexes when missing; names what it created. */
  #createSchema(): string[] {
    const exists =
      this.#database.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(this.#table) !==
      undefined;
    this.#database.exec(sqliteSchema(this.#table));
    return exists ? [] : [`table ${this.#table} in ${this.#database.name}`];
  }

  purgeDelivered(olderThan: Date): Promise<number> {
    return settle(() => this.#statements.purge.run({ before: olderThan.getTime() }).changes);
  }

  pendingCount(): Promise<number> {
    return settle(() => (this.#statements.pendingCount.get() as { count: number }).count);
  }

  healthCheck(): Promise<boolean> {
    return settle(() => this.#statements.ping.get() !== undefined).catch(() => false);
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.#ownsDatabase && this.#database.open) this.#database.close();
    });
  }
}

/**
 * Runs synchronous better-sqlite3 work as a promise, so its errors reject rather than throw; a
 * lock another process held past the busy timeout rejects as the retryable `STORE_BUSY`.
 */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    const failure = toStoreError('sqlite', error, classifySqliteError(error));
    return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
  }
}

function toUndelivered(row: SqliteOutboxRow): UndeliveredEvent {
  return {
    id: row.id,
    topic: row.topic ?? undefined,
    event: decodeEvent(row.event),
    attributes: decodeAttributes(row.attributes),
    attempts: row.attempts,
    errors: decodeErrors(row.errors),
    enqueuedAt: new Date(row.enqueued_at),
    failedAt: new Date(row.failed_at ?? row.enqueued_at),
  };
}

function filterParameters(filter: UndeliveredFilter): Record<string, number | string | null> {
  return {
    topic: filter.topic ?? null,
    since: filter.since?.getTime() ?? null,
    until: filter.until?.getTime() ?? null,
  };
}
