import type { Pool } from 'pg';
import {
  endpointHealthOfRow,
  type EndpointAttemptOutcome,
  type EndpointHealth,
  type EndpointHealthRow,
} from '../endpoint-health.js';
import { healthTableOf } from '../endpoint-health-table.js';

// Named, not `*`: a prepared statement's result must keep its shape if the table gains a column.
const healthColumns = `subscription_id, consecutive_failures, failing_since, last_delivered_at, last_failed_at,
  delivered, failed`;

/**
 * The endpoint health of a PostgreSQL subscription store: one row per endpoint, updated by one
 * named `INSERT … ON CONFLICT DO UPDATE` per write (atomic under the row's lock, whichever
 * connection writes), and only while the subscription exists. A write's commit does not wait for
 * the WAL flush: health is the endpoint policy's count, not a delivery's record, so a crash of
 * PostgreSQL itself may forget its last fraction of a second of counts, and a delivery's own
 * commits never queue behind a health write's flush.
 */
export class PostgresEndpointHealth {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #health: string;

  constructor(pool: Pool, table: string) {
    this.#pool = pool;
    this.#table = table;
    this.#health = healthTableOf(table);
  }

  async record(subscriptionId: string, outcome: EndpointAttemptOutcome): Promise<EndpointHealth | undefined> {
    const result = await this.#pool.query<EndpointHealthRow>({
      name: `${this.#health}:record`,
      text: `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true) AS async_commit)
       INSERT INTO ${this.#health} AS current
         (subscription_id, consecutive_failures, failing_since, last_delivered_at, last_failed_at, delivered, failed)
       SELECT $1, CASE WHEN $2 THEN 0 ELSE 1 END,
         CASE WHEN $2 THEN NULL ELSE $3::bigint END,
         CASE WHEN $2 THEN $3::bigint END,
         CASE WHEN $2 THEN NULL ELSE $3::bigint END,
         CASE WHEN $2 THEN $4::bigint ELSE 0 END, CASE WHEN $2 THEN 0 ELSE 1 END
       FROM ${this.#table}, relaxed WHERE id = $1
       ON CONFLICT (subscription_id) DO UPDATE SET
         consecutive_failures = CASE WHEN $2 THEN 0 ELSE current.consecutive_failures + 1 END,
         failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(current.failing_since, $3::bigint) END,
         last_delivered_at = CASE WHEN $2
           THEN greatest(current.last_delivered_at, $3::bigint) ELSE current.last_delivered_at END,
         last_failed_at = CASE WHEN $2
           THEN current.last_failed_at ELSE greatest(current.last_failed_at, $3::bigint) END,
         delivered = current.delivered + excluded.delivered,
         failed = current.failed + excluded.failed
       RETURNING ${healthColumns}`,
      values: [subscriptionId, outcome.delivered, outcome.at.getTime(), outcome.delivered ? (outcome.count ?? 1) : 1],
    });
    const row = result.rows[0];
    return row === undefined ? undefined : endpointHealthOfRow(row);
  }

  async get(subscriptionIds: readonly string[]): Promise<Map<string, EndpointHealth>> {
    const result = await this.#pool.query<EndpointHealthRow>(
      `SELECT * FROM ${this.#health} WHERE subscription_id = ANY($1::text[])`,
      [[...new Set(subscriptionIds)]],
    );
    return new Map(result.rows.map((row) => [row.subscription_id, endpointHealthOfRow(row)]));
  }

  async list(): Promise<EndpointHealth[]> {
    const result = await this.#pool.query<EndpointHealthRow>(`SELECT * FROM ${this.#health} ORDER BY subscription_id`);
    return result.rows.map(endpointHealthOfRow);
  }

  async reset(subscriptionId: string): Promise<void> {
    await this.#pool.query(`DELETE FROM ${this.#health} WHERE subscription_id = $1`, [subscriptionId]);
  }
}
