import Database from 'better-sqlite3';
import { SqliteOutboxStore, type SqliteEnqueueOptions } from '@events-protocol/outbox/sqlite';
import { checkSubscriptionTable } from '../stored-subscription.js';
import type { WebhookStore } from '../webhook-store.js';
import { refuseEarlierDeliveries } from './sqlite-subscription-schema.js';
import { SqliteSubscriptionStore } from './sqlite-subscription-store.js';

/** Where a {@link SqliteWebhookStore} keeps its data: a file it opens, or a database the caller opened. */
export type SqliteWebhookDatabase =
  /** The database file, created when missing; the store closes it. `:memory:` for tests. */
  | { filename: string }
  /** An open better-sqlite3 database; the store leaves it open. */
  | { database: Database.Database };

/** The tables and durability of a {@link SqliteWebhookStore}. */
export interface SqliteWebhookStoreOptions {
  /** The subscriptions table, `webhook_subscriptions` by default. */
  subscriptionsTable?: string;
  /** The deliveries (outbox) table, `webhook_deliveries` by default. */
  deliveriesTable?: string;
  /** `full` (the default) syncs every commit to disk; `normal` survives `kill -9` and is faster. */
  synchronous?: 'full' | 'normal';
  /** How long to wait for another process's write lock, in ms (5,000 by default). */
  busyTimeoutMs?: number;
}

/**
 * Webhooks on one SQLite file: subscriptions in `webhook_subscriptions`, and deliveries as entries
 * of a {@link SqliteOutboxStore} in `webhook_deliveries` of the same database, so one transaction
 * can record an order and its deliveries. Several processes may share the file (WAL mode).
 *
 * @example
 * const store = new SqliteWebhookStore({ filename: '/var/lib/app/webhooks.db' });
 * await store.setup();
 * const dispatcher = new WebhookDispatcher({ store });
 */
export class SqliteWebhookStore implements WebhookStore<SqliteEnqueueOptions> {
  readonly subscriptions: SqliteSubscriptionStore;
  readonly deliveries: SqliteOutboxStore;
  /** The database both stores use. */
  readonly database: Database.Database;
  readonly #owns: boolean;

  /**
   * @throws {WebhookError} `INVALID_OPTIONS` for a bad table name or a deliveries table of an
   * earlier version; `SUBSCRIPTION_EXISTS` for duplicate subscriptions from before the unique index.
   * @throws {OutboxError} when the deliveries store cannot open.
   */
  constructor(where: SqliteWebhookDatabase, options: SqliteWebhookStoreOptions = {}) {
    const deliveriesTable = checkSubscriptionTable(options.deliveriesTable ?? 'webhook_deliveries');
    this.#owns = !('database' in where);
    this.database = 'database' in where ? where.database : new Database(where.filename);
    try {
      refuseEarlierDeliveries(this.database, deliveriesTable);
      this.deliveries = new SqliteOutboxStore({
        database: this.database,
        table: deliveriesTable,
        ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
      });
      this.subscriptions = new SqliteSubscriptionStore({
        database: this.database,
        ...(options.subscriptionsTable === undefined ? {} : { table: options.subscriptionsTable }),
      });
    } catch (error) {
      if (this.#owns) this.database.close();
      throw error;
    }
  }

  /** Creates both tables when missing; names what it created (`[]` when everything existed). */
  async setup(): Promise<string[]> {
    return [...(await this.subscriptions.setup()), ...(await this.deliveries.setup())];
  }

  /** Closes the database when the store opened it. */
  async close(): Promise<void> {
    await this.subscriptions.close();
    await this.deliveries.close();
    if (this.#owns && this.database.open) this.database.close();
  }
}
