import type { Pool } from 'pg';
import { checkSubscriptionTable, idTaken, subscriptionNotFound, targetTaken } from '../stored-subscription.js';
import type { EndpointAttemptOutcome, EndpointHealth } from '../endpoint-health.js';
import type { Subscription } from '../subscription.js';
import type { SubscriptionStore } from '../webhook-store.js';
import { healthTableOf } from '../endpoint-health-table.js';
import { PostgresEndpointHealth } from './postgres-subscription-health.js';
import { createSubscriptionSchema } from './postgres-subscription-schema.js';

/** How a {@link PostgresSubscriptionStore} finds its table. */
export interface PostgresSubscriptionStoreOptions {
  /** The `pg` pool to query through; the store never ends it. */
  pool: Pool;
  /** The table, `webhook_subscriptions` by default. */
  table?: string;
}

interface DocumentRow {
  document: Subscription;
}

/** The name of the constraint a unique violation (SQLSTATE 23505) broke, when it was one. */
function brokenConstraint(error: unknown): string | undefined {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : undefined;
}

/**
 * Subscriptions in a PostgreSQL table: one row per subscription (its document as JSONB), listed in
 * the order they were stored, with a unique index on (event type, target URL), so concurrent
 * inserts to one target cannot both commit, and each endpoint's health in `<table>_health`.
 * Creates the tables on first use, or at {@link setup}.
 */
export class PostgresSubscriptionStore implements SubscriptionStore {
  readonly name = 'postgres';
  readonly #pool: Pool;
  readonly #table: string;
  readonly #health: PostgresEndpointHealth;
  #schema: Promise<void> | undefined;
  /** What a first use created before {@link setup} was called, so setup can still name it. */
  #unreported: string[] = [];

  /** @throws {WebhookError} `INVALID_OPTIONS` for a table name that is not a plain identifier. */
  constructor(options: PostgresSubscriptionStoreOptions) {
    this.#pool = options.pool;
    this.#table = checkSubscriptionTable(options.table ?? 'webhook_subscriptions');
    this.#health = new PostgresEndpointHealth(this.#pool, this.#table);
  }

  async insertSubscription(subscription: Subscription): Promise<void> {
    await this.#ready();
    try {
      await this.#pool.query(
        `INSERT INTO ${this.#table} (id, event_type, target_url, active, document) VALUES ($1, $2, $3, $4, $5)`,
        this.#values(subscription),
      );
    } catch (error) {
      if (brokenConstraint(error) === `${this.#table}_pkey`) throw idTaken(subscription.id, error);
      throw await this.#refusal(subscription, error);
    }
  }

  async replaceSubscription(subscription: Subscription): Promise<void> {
    await this.#ready();
    let changed: number | null;
    try {
      const result = await this.#pool.query(
        `UPDATE ${this.#table} SET event_type = $2, target_url = $3, active = $4, document = $5 WHERE id = $1`,
        this.#values(subscription),
      );
      changed = result.rowCount;
    } catch (error) {
      throw await this.#refusal(subscription, error);
    }
    if (changed === 0) throw subscriptionNotFound(subscription.id);
  }

  async replaceSubscriptionIf(expected: Subscription, next: Subscription): Promise<boolean> {
    await this.#ready();
    try {
      const result = await this.#pool.query(
        `UPDATE ${this.#table} SET event_type = $2, target_url = $3, active = $4, document = $5
         WHERE id = $1 AND document = $6::jsonb`,
        [...this.#values(next), JSON.stringify(expected)],
      );
      return (result.rowCount ?? 0) > 0;
    } catch (error) {
      throw await this.#refusal(next, error);
    }
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    await this.#ready();
    const result = await this.#pool.query<DocumentRow>(`SELECT document FROM ${this.#table} WHERE id = $1`, [id]);
    return result.rows[0]?.document;
  }

  async listSubscriptions(filter: { eventType?: string } = {}): Promise<Subscription[]> {
    await this.#ready();
    const result = await this.#pool.query<DocumentRow>(
      `SELECT document FROM ${this.#table} WHERE $1::text IS NULL OR event_type = $1 ORDER BY seq`,
      [filter.eventType ?? null],
    );
    return result.rows.map((row) => row.document);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    await this.#ready();
    const result = await this.#pool.query(
      `WITH health AS (DELETE FROM ${healthTableOf(this.#table)} WHERE subscription_id = $1)
       DELETE FROM ${this.#table} WHERE id = $1`,
      [id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async recordAttemptOutcome(
    subscriptionId: string,
    outcome: EndpointAttemptOutcome,
  ): Promise<EndpointHealth | undefined> {
    await this.#ready();
    return this.#health.record(subscriptionId, outcome);
  }

  async getHealth(subscriptionIds: readonly string[]): Promise<Map<string, EndpointHealth>> {
    await this.#ready();
    return this.#health.get(subscriptionIds);
  }

  async listHealth(): Promise<EndpointHealth[]> {
    await this.#ready();
    return this.#health.list();
  }

  async resetHealth(subscriptionId: string): Promise<void> {
    await this.#ready();
    await this.#health.reset(subscriptionId);
  }

  async activeSubscriptionsFor(eventType: string): Promise<Subscription[]> {
    await this.#ready();
    const result = await this.#pool.query<DocumentRow>(
      `SELECT document FROM ${this.#table} WHERE event_type = $1 AND active ORDER BY seq`,
      [eventType],
    );
    return result.rows.map((row) => row.document);
  }

  /** Creates the table and indexes when missing; names what it (or a first use before it) created. */
  async setup(): Promise<string[]> {
    await this.#ready();
    const created = [...this.#unreported, ...(await this.#create())];
    this.#unreported = [];
    return created;
  }

  /** Nothing to release: the pool is its owner's. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Creates the schema once per store, before its first query. */
  #ready(): Promise<void> {
    this.#schema ??= this.#create().then(
      (created) => {
        this.#unreported = created;
      },
      (error: unknown) => {
        this.#schema = undefined;
        throw error;
      },
    );
    return this.#schema;
  }

  async #create(): Promise<string[]> {
    const client = await this.#pool.connect();
    let failure: unknown;
    try {
      return await createSubscriptionSchema(client, this.#table);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A connection that failed mid-transaction is not given back to other callers.
      client.release(failure instanceof Error ? failure : undefined);
    }
  }

  #values(subscription: Subscription): unknown[] {
    return [
      subscription.id,
      subscription.eventType,
      subscription.targetUrl,
      subscription.active,
      JSON.stringify(subscription),
    ];
  }

  /** The unique index refused a write: name the subscription in the way. */
  async #refusal(subscription: Subscription, error: unknown): Promise<unknown> {
    if (brokenConstraint(error) !== `${this.#table}_target`) return error;
    const existing = await this.#pool.query<{ id: string }>(
      `SELECT id FROM ${this.#table} WHERE event_type = $1 AND target_url = $2`,
      [subscription.eventType, subscription.targetUrl],
    );
    const existingId = existing.rows[0]?.id;
    return existingId === undefined ? error : targetTaken(subscription, existingId, error);
  }
}
