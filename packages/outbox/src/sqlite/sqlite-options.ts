import type Database from 'better-sqlite3';

/** How a `SqliteOutboxStore` opens its database. */
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

/**
 * Options of `SqliteOutboxStore.enqueue`, and so of `Outbox.enqueue` over this store.
 */
export interface SqliteEnqueueOptions {
  /**
   * Your better-sqlite3 connection to the store's file (the store's own `database` or another
   * one), with your transaction open: the entry is written through it, inside your transaction
   * (as a savepoint), so your COMMIT makes it claimable and your ROLLBACK leaves nothing stored.
   * Without a transaction open, the entry is committed at once.
   *
   * The write runs synchronously inside the `enqueue` call, before it returns its promise, so it
   * also works inside better-sqlite3's synchronous `db.transaction(fn)`. The relay does not see
   * the entry before your COMMIT: it claims nothing from an open transaction, waiting for it up
   * to the busy timeout when you share the store's connection.
   *
   * @example
   * // An explicit transaction around async work:
   * db.exec('BEGIN IMMEDIATE');
   * try {
   *   db.prepare('INSERT INTO orders (id, total) VALUES (?, ?)').run(order.id, order.total);
   *   await outbox.enqueue(orderPlaced(order), { database: db });
   *   db.exec('COMMIT');
   * } catch (error) {
   *   if (db.inTransaction) db.exec('ROLLBACK');
   *   throw error;
   * }
   *
   * // Or better-sqlite3's synchronous transaction (the promise settles afterwards):
   * let stored: Promise<boolean> | undefined;
   * db.transaction(() => {
   *   db.prepare('INSERT INTO orders (id, total) VALUES (?, ?)').run(order.id, order.total);
   *   stored = outbox.enqueue(orderPlaced(order), { database: db });
   * })();
   * await stored;
   */
  database?: Database.Database;
}
