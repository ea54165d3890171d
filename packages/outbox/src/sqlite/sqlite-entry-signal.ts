import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Tells the store objects of one process that share a database that entries were enqueued.
 * SQLite has no notifications, so a wake-up reaches only this process; a relay in another
 * process wakes at its poll interval.
 */
export class SqliteEntrySignal {
  /** How many enqueues it has announced; a relay compares it with what it saw at its last claim. */
  generation = 0;
  readonly #listeners = new Set<() => void>();

  /** Wakes every waiting relay. */
  announce(): void {
    this.generation++;
    for (const listener of [...this.#listeners]) listener();
  }

  /** Calls `listener` at the next announcement; returns how to stop listening. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Announces once `database` has no transaction open: at once after an enqueue that committed,
   * or when the caller's transaction holding the enqueue ends (its COMMIT or ROLLBACK; SQLite
   * does not say which, and a wake-up after a rollback finds nothing to claim).
   */
  announceAfterCommit(database: Database.Database): void {
    if (!database.inTransaction) {
      this.announce();
      return;
    }
    const waiting = watched.get(database);
    if (waiting !== undefined) {
      waiting.add(this);
      return;
    }
    watched.set(database, new Set([this]));
    let delayMs = 1;
    const check = (): void => {
      if (database.open && database.inTransaction) {
        delayMs = Math.min(delayMs * 2, 50);
        setTimeout(check, delayMs).unref();
        return;
      }
      const signals = watched.get(database);
      watched.delete(database);
      for (const signal of signals ?? []) signal.announce();
    };
    setTimeout(check, delayMs).unref();
  }
}

/** Connections with a transaction open that holds an enqueue, and whom to tell when it ends. */
const watched = new WeakMap<Database.Database, Set<SqliteEntrySignal>>();

// One signal per database file in this process, so a producer's store object wakes the relay's.
const fileSignals = new Map<string, SqliteEntrySignal>();
// An in-memory or temporary database is reachable only through its one connection.
const connectionSignals = new WeakMap<Database.Database, SqliteEntrySignal>();

/** The file behind a connection, resolved so two spellings of one path agree; `undefined` in memory. */
export function databaseFile(database: Database.Database): string | undefined {
  if (database.memory || database.name === '') return undefined;
  const path = resolve(database.name);
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The signal of the database behind `database`. */
export function entrySignalOf(database: Database.Database): SqliteEntrySignal {
  const file = databaseFile(database);
  if (file === undefined) {
    let signal = connectionSignals.get(database);
    if (signal === undefined) connectionSignals.set(database, (signal = new SqliteEntrySignal()));
    return signal;
  }
  let signal = fileSignals.get(file);
  if (signal === undefined) fileSignals.set(file, (signal = new SqliteEntrySignal()));
  return signal;
}
