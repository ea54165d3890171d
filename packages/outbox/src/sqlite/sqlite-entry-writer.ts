import type Database from 'better-sqlite3';
import { OutboxError } from '../outbox-error.js';
import type { OutboxEntry } from '../outbox-store.js';
import { encodeEvent, encodeHistory, entryIdOf } from '../stored-record.js';
import { databaseFile } from './sqlite-entry-signal.js';
import { prepareEnqueueStatements, type SqliteEnqueueStatements } from './sqlite-statements.js';

/** Writes entries through one connection: the store's own, or a caller's with its transaction. */
export interface SqliteEntryWriter {
  readonly database: Database.Database;
  /** Inserts one entry; `false` when its id was stored before. */
  insert(entry: OutboxEntry): boolean;
  /**
   * Inserts every entry or none: its own transaction, or a savepoint inside the caller's, so the
   * caller's COMMIT or ROLLBACK decides.
   */
  insertBatch(entries: readonly OutboxEntry[]): boolean[];
}

/** A writer over `statements` prepared for `database`. */
export function entryWriter(database: Database.Database, statements: SqliteEnqueueStatements): SqliteEntryWriter {
  const insert = (entry: OutboxEntry): boolean => {
    const row = {
      id: entryIdOf(entry),
      topic: entry.topic ?? null,
      event: encodeEvent(entry.event),
      attributes: JSON.stringify(entry.attributes),
      at: entry.enqueuedAt.getTime(),
      orderingKey: entry.orderingKey ?? null,
    };
    const { failure } = entry;
    const result =
      failure === undefined
        ? statements.insert.run({ ...row, available: (entry.availableAt ?? entry.enqueuedAt).getTime() })
        : statements.insertUndelivered.run({
            ...row,
            history: encodeHistory([failure]),
            failedAt: Date.parse(failure.at),
          });
    return result.changes === 1;
  };
  // IMMEDIATE takes the write lock at BEGIN; inside a caller's transaction this is a savepoint.
  const batch = database.transaction((entries: readonly OutboxEntry[]) => entries.map(insert));
  return { database, insert, insertBatch: (entries) => batch.immediate(entries) };
}

/**
 * The writers of one store for connections callers pass to `enqueue`, each prepared once and
 * kept as long as its connection lives.
 */
export class SqliteCallerWriters {
  readonly #writers = new WeakMap<Database.Database, SqliteEntryWriter>();
  readonly #file: string | undefined;
  readonly #own: SqliteEntryWriter;
  readonly #table: string;

  /** Writers beside `own`, the store's writer on its own connection, for `table`. */
  constructor(own: SqliteEntryWriter, table: string) {
    this.#own = own;
    this.#table = table;
    this.#file = databaseFile(own.database);
  }

  /**
   * The writer for `database`: the store's own for its own connection.
   *
   * @throws {OutboxError} `INVALID_OPTIONS` for a connection to another database file, where the
   * entry would never reach this store's relay.
   */
  for(database: Database.Database): SqliteEntryWriter {
    if (database === this.#own.database) return this.#own;
    let writer = this.#writers.get(database);
    if (writer === undefined) {
      const file = databaseFile(database);
      if (file === undefined || file !== this.#file) {
        throw new OutboxError(
          'INVALID_OPTIONS',
          `enqueue's database is a connection to ${file ?? 'an in-memory database'}, not to this store's ${this.#file ?? 'in-memory database'}`,
        );
      }
      writer = entryWriter(database, prepareEnqueueStatements(database, this.#table));
      this.#writers.set(database, writer);
    }
    return writer;
  }
}
