import type Database from 'better-sqlite3';
import {
  endpointHealthOfRow,
  type EndpointAttemptOutcome,
  type EndpointHealth,
  type EndpointHealthRow,
} from '../endpoint-health.js';
import { healthTableOf } from '../endpoint-health-table.js';

/**
 * The endpoint health of a SQLite subscription store: one row per endpoint, updated by one
 * upsert per attempt (atomic under SQLite's write lock, whichever connection or process writes),
 * and only while the subscription exists.
 */
export class SqliteEndpointHealth {
  readonly #statements: ReturnType<typeof prepare>;

  constructor(database: Database.Database, table: string) {
    this.#statements = prepare(database, table);
  }

  record(subscriptionId: string, outcome: EndpointAttemptOutcome): EndpointHealth | undefined {
    const row = this.#statements.record.get({
      id: subscriptionId,
      delivered: outcome.delivered ? 1 : 0,
      count: outcome.delivered ? (outcome.count ?? 1) : 1,
      at: outcome.at.getTime(),
    }) as EndpointHealthRow | undefined;
    return row === undefined ? undefined : endpointHealthOfRow(row);
  }

  get(subscriptionIds: readonly string[]): Map<string, EndpointHealth> {
    const found = new Map<string, EndpointHealth>();
    for (const id of new Set(subscriptionIds)) {
      const row = this.#statements.get.get(id) as EndpointHealthRow | undefined;
      if (row !== undefined) found.set(id, endpointHealthOfRow(row));
    }
    return found;
  }

  list(): EndpointHealth[] {
    return (this.#statements.list.all() as EndpointHealthRow[]).map(endpointHealthOfRow);
  }

  reset(subscriptionId: string): void {
    this.#statements.reset.run(subscriptionId);
  }
}

function prepare(database: Database.Database, table: string) {
  const health = healthTableOf(table);
  return {
    // The SELECT inserts nothing for an unknown subscription; its WHERE also keeps SQLite's upsert unambiguous.
    record: database.prepare(
      `INSERT INTO ${health} AS current
         (subscription_id, consecutive_failures, failing_since, last_delivered_at, last_failed_at, delivered, failed)
       SELECT @id, 1 - @delivered,
         CASE WHEN @delivered = 1 THEN NULL ELSE @at END,
         CASE WHEN @delivered = 1 THEN @at END,
         CASE WHEN @delivered = 1 THEN NULL ELSE @at END,
         @delivered * @count, 1 - @delivered
       FROM ${table} WHERE id = @id
       ON CONFLICT (subscription_id) DO UPDATE SET
         consecutive_failures = CASE WHEN @delivered = 1 THEN 0 ELSE current.consecutive_failures + 1 END,
         failing_since = CASE WHEN @delivered = 1 THEN NULL ELSE coalesce(current.failing_since, @at) END,
         last_delivered_at = CASE WHEN @delivered = 1
           THEN max(coalesce(current.last_delivered_at, @at), @at) ELSE current.last_delivered_at END,
         last_failed_at = CASE WHEN @delivered = 1
           THEN current.last_failed_at ELSE max(coalesce(current.last_failed_at, @at), @at) END,
         delivered = current.delivered + @delivered * @count,
         failed = current.failed + 1 - @delivered
       RETURNING *`,
    ),
    get: database.prepare(`SELECT * FROM ${health} WHERE subscription_id = ?`),
    list: database.prepare(`SELECT * FROM ${health} ORDER BY subscription_id`),
    reset: database.prepare(`DELETE FROM ${health} WHERE subscription_id = ?`),
  };
}
