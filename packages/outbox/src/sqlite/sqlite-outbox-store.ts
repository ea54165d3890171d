import Database from 'better-sqlite3';
import { OutboxError } from '../outbox-error.js';
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
  UndeliveredPage,
} from '../outbox-store.js';
import { checkLimit, checkTableName, readSequenceCursor } from '../stored-record.js';
import { toStoreError } from '../store-error.js';
import { classifySqliteError } from './sqlite-busy.js';
import { claimSqliteRows } from './sqlite-claim.js';
import { entrySignalOf, type SqliteEntrySignal } from './sqlite-entry-signal.js';
import { entryWriter, SqliteCallerWriters, type SqliteEntryWriter } from './sqlite-entry-writer.js';
import { addOrderingColumn, migrateSqliteTable } from './sqlite-migration.js';
import {
  filterParameters,
  sqliteStats,
  toPending,
  toStoredEntry,
  toUndelivered,
  type SqliteOutboxRow,
} from './sqlite-rows.js';
import { redeliverSqliteRows } from './sqlite-redeliver.js';
import { settleSqliteRows } from './sqlite-settle.js';
import { prepareStatements, sqliteOrderingSchema, sqliteSchema, type SqliteStatements } from './sqlite-statements.js';
import type { SqliteEnqueueOptions, SqliteOutboxStoreOptions } from './sqlite-options.js';
import { runNow, runWhenIdle } from './sqlite-work.js';

/**
 * The embedded default store: one SQLite file in WAL mode, one transaction per state change, so
 * an entry is on disk before `enqueue` resolves and a relay killed with `kill -9` loses nothing.
 * Several processes may share the file (a producer and a relay): claims take the write lock.
 * Enqueues wake a relay waiting in the same process at once; one in another process polls.
 *
 * @example
 * const store = new SqliteOutboxStore({ filename: '/var/lib/app/outbox.db' });
 * const outbox = new Outbox({ store });
 */
export class SqliteOutboxStore implements OutboxStore<SqliteEnqueueOptions> {
  readonly name = 'sqlite';
  readonly #database: Database.Database;
  readonly #ownsDatabase: boolean;
  readonly #busyTimeoutMs: number;
  readonly #table: string;
  readonly #statements: SqliteStatements;
  readonly #own: SqliteEntryWriter;
  readonly #writers: SqliteCallerWriters;
  readonly #signal: SqliteEntrySignal;
  /** The signal's generation when this store last claimed: a wait ends at once if it moved since. */
  #claimedAtGeneration: number;
  readonly #claim: (options: ClaimOptions) => ClaimedEvent[];
  readonly #settle: (settlements: readonly Settlement[], now: Date) => boolean[];
  readonly #byIds: (ids: readonly string[], run: (id: string) => number) => number;
  readonly #redeliver: (selection: RedeliverSelection, now: Date) => number;
  /** What opening the store created, reported once by {@link setup}. */
  #created: string[];
  #closed = false;

  /**
   * @throws {OutboxError} `INVALID_OPTIONS` without a `filename` or `database`, or for a bad table
   * name; `STORE_BUSY` when another process held the file's lock past the busy timeout.
   */
  constructor(options: SqliteOutboxStoreOptions) {
    const table = checkTableName(options.table ?? 'outbox_events');
    if (options.database === undefined && options.filename === undefined) {
      throw new OutboxError('INVALID_OPTIONS', 'SqliteOutboxStore needs a filename or a database');
    }
    this.#ownsDatabase = options.database === undefined;
    this.#busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    const database = options.database ?? new Database(options.filename);
    this.#database = database;
    this.#table = table;
    try {
      database.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      database.pragma('journal_mode = WAL');
      database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.#created = this.#createSchema();
      this.#statements = prepareStatements(database, table);
    } catch (error) {
      if (this.#ownsDatabase) database.close();
      throw toStoreError(this.name, error, classifySqliteError(error));
    }
    this.#own = entryWriter(database, this.#statements);
    this.#writers = new SqliteCallerWriters(this.#own, table);
    this.#signal = entrySignalOf(database);
    this.#claimedAtGeneration = this.#signal.generation;
    // IMMEDIATE takes the write lock before reading, so two relays never claim the same row.
    const claim = database.transaction((claimOptions: ClaimOptions) => claimSqliteRows(this.#statements, claimOptions));
    this.#claim = (claimOptions) => claim.immediate(claimOptions);
    const settle = database.transaction((settlements: readonly Settlement[], now: Date) =>
      settleSqliteRows(this.#statements, settlements, now),
    );
    this.#settle = (settlements, now) => settle.immediate(settlements, now);
    const byIds = database.transaction((ids: readonly string[], run: (id: string) => number) =>
      ids.reduce((count, id) => count + run(id), 0),
    );
    this.#byIds = (ids, run) => byIds.immediate(ids, run);
    const redeliver = database.transaction((selection: RedeliverSelection, now: Date) =>
      redeliverSqliteRows(this.#statements, selection, now),
    );
    this.#redeliver = (selection, now) => redeliver.immediate(selection, now);
  }

  /**
   * Stores an entry, committed before the promise resolves; through `options.database`, inside
   * the caller's transaction instead (see {@link SqliteEnqueueOptions}).
   */
  enqueue(entry: OutboxEntry, options?: SqliteEnqueueOptions): Promise<boolean> {
    return this.#write(options, (writer) => {
      const stored = writer.insert(entry);
      if (stored) this.#signal.announceAfterCommit(writer.database);
      return stored;
    });
  }

  /** One transaction (a savepoint in the caller's): an entry that fails rolls back the ones before it. */
  enqueueBatch(entries: readonly OutboxEntry[], options?: SqliteEnqueueOptions): Promise<boolean[]> {
    if (entries.length === 0) return Promise.resolve([]);
    return this.#write(options, (writer) => {
      const stored = writer.insertBatch(entries);
      if (stored.includes(true)) this.#signal.announceAfterCommit(writer.database);
      return stored;
    });
  }

  #write<T>(options: SqliteEnqueueOptions | undefined, work: (writer: SqliteEntryWriter) => T): Promise<T> {
    const database = options?.database;
    if (database === undefined) return this.#run(() => work(this.#own));
    if (this.#closed) return Promise.reject(closedError());
    return runNow(() => work(this.#writers.for(database)));
  }

  /** Runs the store's own work once no caller's transaction is open on its connection. */
  #run<T>(work: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    return runWhenIdle(this.#database, this.#busyTimeoutMs, work);
  }

  cancel(id: string): Promise<boolean> {
    return this.#run(() => this.#statements.cancel.run({ id }).changes === 1);
  }

  claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return this.#run(() => {
      this.#claimedAtGeneration = this.#signal.generation;
      return this.#claim(options);
    });
  }

  /** One `BEGIN IMMEDIATE` transaction for the whole batch. */
  settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]> {
    if (settlements.length === 0) return Promise.resolve([]);
    return this.#run(() => this.#settle(settlements, now));
  }

  /**
   * Resolves on an enqueue through any store object on the same file in this process, when the
   * next scheduled entry, retry or lease end falls due, after `timeoutMs`, or when `signal`
   * aborts. An enqueue by another process is not heard: the wait then ends at its timeout.
   */
  waitForEntries(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.#signal.generation !== this.#claimedAtGeneration) return Promise.resolve();
    let waitMs = Math.min(Math.max(0, timeoutMs), 2 ** 31 - 1);
    try {
      const now = Date.now();
      const next = (this.#statements.nextDue.get({ now }) as { at: number | null } | undefined)?.at;
      if (typeof next === 'number') waitMs = Math.min(waitMs, next - now);
    } catch {
      // A wait never fails: a store that cannot answer now is asked again by the next claim.
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stopListening();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      const stopListening = this.#signal.listen(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  listPending(options: ListPendingOptions = {}): Promise<Page<PendingEvent>> {
    return this.#run(() => {
      const limit = checkLimit(options.limit);
      const after = BigInt(readSequenceCursor(options.cursor));
      const rows = this.#statements.listPending.all({ topic: options.topic ?? null, after, limit: limit + 1 });
      return page(rows as SqliteOutboxRow[], limit, toPending);
    });
  }

  listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    return this.#run(() => {
      const limit = checkLimit(options.limit);
      const after = BigInt(readSequenceCursor(options.cursor));
      const rows = this.#statements.listUndelivered.all({ ...filterParameters(options), after, limit: limit + 1 });
      return page(rows as SqliteOutboxRow[], limit, toUndelivered);
    });
  }

  getEntry(id: string): Promise<StoredEntry | undefined> {
    return this.#run(() => {
      const row = this.#statements.getEntry.get({ id }) as SqliteOutboxRow | undefined;
      return row === undefined ? undefined : toStoredEntry(row);
    });
  }

  redeliver(selection: RedeliverSelection, now: Date): Promise<number> {
    return this.#run(() => this.#redeliver(selection, now));
  }

  deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    const { deleteUndeliveredId, deleteUndeliveredFiltered } = this.#statements;
    if ('ids' in selection) {
      return this.#run(() => this.#byIds(selection.ids, (id) => deleteUndeliveredId.run({ id }).changes));
    }
    return this.#run(() => deleteUndeliveredFiltered.run(filterParameters(selection)).changes);
  }

  purgeDelivered(olderThan: Date): Promise<number> {
    return this.#run(() => this.#statements.purge.run({ before: olderThan.getTime() }).changes);
  }

  pendingCount(): Promise<number> {
    return this.#run(() => (this.#statements.pendingCount.get() as { count: number }).count);
  }

  /** One statement over the indexes: counts by status, claims, and the oldest of each. */
  stats(now: Date): Promise<OutboxStats> {
    return this.#run(() => sqliteStats(this.#statements.stats.get({ now: now.getTime() })));
  }

  /** Creates the table and indexes when missing, and brings a table of an earlier version up to date. */
  setup(): Promise<string[]> {
    return this.#run(() => {
      const created = [...this.#created, ...this.#createSchema()];
      this.#created = [];
      return created;
    });
  }

  /** Creates the table and its indexes when missing, then migrates it; names what it changed. */
  #createSchema(): string[] {
    const exists =
      this.#database.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(this.#table) !==
      undefined;
    this.#database.exec(sqliteSchema(this.#table));
    const migrated = [
      ...migrateSqliteTable(this.#database, this.#table),
      ...addOrderingColumn(this.#database, this.#table, sqliteOrderingSchema(this.#table)),
    ];
    return exists ? migrated : [`table ${this.#table} in ${this.#database.name}`];
  }

  healthCheck(): Promise<boolean> {
    if (this.#closed || !this.#database.open) return Promise.resolve(false);
    return runNow(() => this.#statements.ping.get() !== undefined).catch(() => false);
  }

  /** Closes the file the store opened (not a database passed in); later calls fail with `CLOSED`. */
  close(): Promise<void> {
    this.#closed = true;
    return runNow(() => {
      if (this.#ownsDatabase && this.#database.open) this.#database.close();
    });
  }
}

function closedError(): OutboxError {
  return new OutboxError('CLOSED', 'the sqlite outbox store was used after close()');
}

function page<T>(rows: SqliteOutboxRow[], limit: number, view: (row: SqliteOutboxRow) => T): Page<T> {
  const kept = rows.slice(0, limit);
  return { events: kept.map(view), nextCursor: rows.length > limit ? String(kept.at(-1)?.seq) : undefined };
}
