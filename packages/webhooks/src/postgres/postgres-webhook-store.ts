import { PostgresOutboxStore, type PostgresEnqueueOptions } from '@events-protocol/outbox/postgres';
import { Pool } from 'pg';
import { checkSubscriptionTable } from '../stored-subscription.js';
import { silentWebhookLogger, type WebhookLogger } from '../webhook-logger.js';
import type { WebhookStore } from '../webhook-store.js';
import { PostgresSubscriptionStore } from './postgres-subscription-store.js';

/** The tables and logging of a {@link PostgresWebhookStore}. */
export interface PostgresWebhookStoreOptions {
  /** The subscriptions table, `webhook_subscriptions` by default. */
  subscriptionsTable?: string;
  /** The deliveries (outbox) table, `webhook_deliveries` by default. */
  deliveriesTable?: string;
  /** Where a connection the store's own pool lost while idle is reported (at `warn`); silent by default. */
  logger?: WebhookLogger;
}

/**
 * Webhooks on PostgreSQL: subscriptions in `webhook_subscriptions`, and deliveries as entries of a
 * {@link PostgresOutboxStore} in `webhook_deliveries`, over one pool, so a delivery can be
 * enqueued in the caller's own transaction (`{ client }`). Dispatchers on many machines share it.
 *
 * @example
 * const store = new PostgresWebhookStore({ pool });
 * await store.setup();
 * const dispatcher = new WebhookDispatcher({ store });
 */
export class PostgresWebhookStore implements WebhookStore<PostgresEnqueueOptions> {
  readonly subscriptions: PostgresSubscriptionStore;
  readonly deliveries: PostgresOutboxStore;
  /** The pool both stores query through; also handy for the application's own transactions. */
  readonly pool: Pool;
  readonly #owns: boolean;

  /**
   * @param connection a `pg` pool (its owner ends it and listens to its `'error'`), or a
   * connection string (the store owns that pool).
   * @throws {WebhookError} `INVALID_OPTIONS` for a table name that is not a plain identifier.
   */
  constructor(connection: { pool: Pool } | string, options: PostgresWebhookStoreOptions = {}) {
    const deliveriesTable = checkSubscriptionTable(options.deliveriesTable ?? 'webhook_deliveries');
    const subscriptionsTable = checkSubscriptionTable(options.subscriptionsTable ?? 'webhook_subscriptions');
    this.#owns = typeof connection === 'string';
    this.pool =
      typeof connection === 'string'
        ? new Pool({ connectionString: connection, connectionTimeoutMillis: 10_000, keepAlive: true })
        : connection.pool;
    if (this.#owns) {
      // An idle client the server dropped (a restart, a failover) must not crash the process: the
      // pool discards it and the next query connects again. A pool passed in is its owner's to watch.
      const logger = options.logger ?? silentWebhookLogger();
      this.pool.on('error', (error) =>
        logger.warn({ err: error, store: 'postgres' }, 'webhook store lost an idle PostgreSQL connection'),
      );
    }
    this.subscriptions = new PostgresSubscriptionStore({ pool: this.pool, table: subscriptionsTable });
    this.deliveries = new PostgresOutboxStore({ pool: this.pool, table: deliveriesTable });
  }

  /** Creates both tables when missing; names what it created (`[]` when everything existed). */
  async setup(): Promise<string[]> {
    return [...(await this.subscriptions.setup()), ...(await this.deliveries.setup())];
  }

  /** Ends the pool when the store opened it. */
  async close(): Promise<void> {
    await this.subscriptions.close();
    await this.deliveries.close();
    if (this.#owns) await this.pool.end();
  }
}
