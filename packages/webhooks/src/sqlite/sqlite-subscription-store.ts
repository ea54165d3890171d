import type Database from 'better-sqlite3';
import {
  checkSubscriptionTable,
  decodeSubscription,
  encodeSubscription,
  idTaken,
  subscriptionNotFound,
  targetTaken,
} from '../stored-subscription.js';
import type { EndpointAttemptOutcome, EndpointHealth } from '../endpoint-health.js';
import type { Subscription } from '../subscription.js';
import type { SubscriptionStore } from '../webhook-store.js';
import { healthTableOf } from '../endpoint-health-table.js';
import { SqliteEndpointHealth } from './sqlite-subscription-health.js';
import { createSubscriptionSchema } from './sqlite-subscription-schema.js';

/** How a {@link SqliteSubscriptionStore} finds its table. */
export interface SqliteSubscriptionStoreOptions {
  /** An open better-sqlite3 database; the store never closes it. */
  database: Database.Database;
  /** The table, `webhook_subscriptions` by default. */
  table?: string;
}

/** Runs a synchronous database call as a promise: a thrown error becomes the rejection. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

interface DocumentRow {
  document: string;
}

/**
 * Subscriptions in a SQLite table: one row per subscription (its document as JSON), listed in the
 * order they were stored, with a unique index on (event type, target URL), and each endpoint's
 * health in `<table>_health`. Creates the tables when it opens.
 */
export class SqliteSubscriptionStore implements SubscriptionStore {
  readonly name = 'sqlite';
  readonly #database: Database.Database;
  readonly #table: string;
  readonly #statements: ReturnType<typeof prepare>;
  readonly #health: SqliteEndpointHealth;
  /** What opening the store created, reported by the first {@link setup}. */
  #created: string[];

  /**
   * @throws {WebhookError} `INVALID_OPTIONS` for a table name that is not a plain identifier;
   * `SUBSCRIPTION_EXISTS` for a table holding duplicates from before the unique index.
   */
  constructor(options: SqliteSubscriptionStoreOptions) {
    this.#database = options.database;
    this.#table = checkSubscriptionTable(options.table ?? 'webhook_subscriptions');
    this.#created = createSubscriptionSchema(this.#database, this.#table);
    this.#statements = prepare(this.#database, this.#table);
    this.#health = new SqliteEndpointHealth(this.#database, this.#table);
  }

  insertSubscription(subscription: Subscription): Promise<void> {
    return run(() => {
      try {
        this.#statements.insert.run(this.#row(subscription));
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw idTaken(subscription.id, error);
        throw this.#refusal(subscription, error);
      }
    });
  }

  replaceSubscription(subscription: Subscription): Promise<void> {
    return run(() => {
      let changes: number;
      try {
        changes = this.#statements.replace.run(this.#row(subscription)).changes;
      } catch (error) {
        throw this.#refusal(subscription, error);
      }
      if (changes === 0) throw subscriptionNotFound(subscription.id);
    });
  }

  replaceSubscriptionIf(expected: Subscription, next: Subscription): Promise<boolean> {
    return run(() => {
      try {
        return (
          this.#statements.replaceIf.run({ ...this.#row(next), expected: encodeSubscription(expected) }).changes > 0
        );
      } catch (error) {
        throw this.#refusal(next, error);
      }
    });
  }

  getSubscription(id: string): Promise<Subscription | undefined> {
    return run(() => {
      const row = this.#statements.get.get(id) as DocumentRow | undefined;
      return row === undefined ? undefined : decodeSubscription(row.document);
    });
  }

  listSubscriptions(filter: { eventType?: string } = {}): Promise<Subscription[]> {
    return run(() => {
      const rows = (
        filter.eventType === undefined ? this.#statements.list.all() : this.#statements.listOfType.all(filter.eventType)
      ) as DocumentRow[];
      return rows.map((row) => decodeSubscription(row.document));
    });
  }

  deleteSubscription(id: string): Promise<boolean> {
    return run(() =>
      this.#database.transaction(() => {
        this.#statements.deleteHealth.run(id);
        return this.#statements.delete.run(id).changes > 0;
      })(),
    );
  }

  recordAttemptOutcome(subscriptionId: string, outcome: EndpointAttemptOutcome): Promise<EndpointHealth | undefined> {
    return run(() => this.#health.record(subscriptionId, outcome));
  }

  getHealth(subscriptionIds: readonly string[]): Promise<Map<string, EndpointHealth>> {
    return run(() => this.#health.get(subscriptionIds));
  }

  listHealth(): Promise<EndpointHealth[]> {
    return run(() => this.#health.list());
  }

  resetHealth(subscriptionId: string): Promise<void> {
    return run(() => this.#health.reset(subscriptionId));
  }

  activeSubscriptionsFor(eventType: string): Promise<Subscription[]> {
    return run(() => {
      const rows = this.#statements.active.all(eventType) as DocumentRow[];
      return rows.map((row) => decodeSubscription(row.document));
    });
  }

  /** Creates the table and indexes when missing (opening the store did): names what was created. */
  setup(): Promise<string[]> {
    return run(() => {
      const created = [...this.#created, ...createSubscriptionSchema(this.#database, this.#table)];
      this.#created = [];
      return created;
    });
  }

  /** Nothing to release: the database is its owner's. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #row(subscription: Subscription): Record<string, string | number> {
    return {
      id: subscription.id,
      eventType: subscription.eventType,
      targetUrl: subscription.targetUrl,
      active: subscription.active ? 1 : 0,
      document: encodeSubscription(subscription),
    };
  }

  /** The unique index refused a write: name the subscription in the way. */
  #refusal(subscription: Subscription, error: unknown): unknown {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
    const existing = this.#statements.byTarget.get(subscription.eventType, subscription.targetUrl) as
      { id: string } | undefined;
    return existing === undefined ? error : targetTaken(subscription, existing.id, error);
  }
}

/** The store's statements, prepared once. */
function prepare(database: Database.Database, table: string) {
  return {
    insert: database.prepare(
      `INSERT INTO ${table} (id, event_type, target_url, active, document)
       VALUES (@id, @eventType, @targetUrl, @active, @document)`,
    ),
    replace: database.prepare(
      `UPDATE ${table} SET event_type = @eventType, target_url = @targetUrl, active = @active, document = @document
       WHERE id = @id`,
    ),
    replaceIf: database.prepare(
      `UPDATE ${table} SET event_type = @eventType, target_url = @targetUrl, active = @active, document = @document
       WHERE id = @id AND document = @expected`,
    ),
    get: database.prepare(`SELECT document FROM ${table} WHERE id = ?`),
    list: database.prepare(`SELECT document FROM ${table} ORDER BY rowid`),
    listOfType: database.prepare(`SELECT document FROM ${table} WHERE event_type = ? ORDER BY rowid`),
    active: database.prepare(`SELECT document FROM ${table} WHERE event_type = ? AND active = 1 ORDER BY rowid`),
    byTarget: database.prepare(`SELECT id FROM ${table} WHERE event_type = ? AND target_url = ?`),
    delete: database.prepare(`DELETE FROM ${table} WHERE id = ?`),
    deleteHealth: database.prepare(`DELETE FROM ${healthTableOf(table)} WHERE subscription_id = ?`),
  };
}
