import type Database from 'better-sqlite3';
import { WebhookError, WebhookErrorCode } from '../webhook-error.js';
import { healthTableOf, healthTableStatement } from '../endpoint-health-table.js';

/** Whether `name` is a table or index of the database. */
function exists(database: Database.Database, name: string): boolean {
  return database.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name) !== undefined;
}

/**
 * Creates the subscriptions table and its indexes when missing, in one transaction, and names
 * what it created. The layout is the one earlier versions used, so their subscriptions carry on:
 * the document as JSON, with the columns the store looks up by beside it, and a unique index on
 * (event type, target URL) so that two subscriptions to the same target cannot both be stored.
 * The endpoint health table `<table>_health` beside it is added to a database that lacks it.
 *
 * @throws {WebhookError} `SUBSCRIPTION_EXISTS` when the table holds duplicates from before the
 * unique index, naming them, so that they can be resolved first.
 */
export function createSubscriptionSchema(database: Database.Database, table: string): string[] {
  return database.transaction(() => {
    const created: string[] = [];
    if (!exists(database, table)) {
      database.exec(
        `CREATE TABLE ${table} (id TEXT PRIMARY KEY, event_type TEXT NOT NULL, document TEXT NOT NULL,
         active INTEGER NOT NULL, target_url TEXT NOT NULL)`,
      );
      created.push(`table ${table}`);
    }
    if (!exists(database, `${table}_type`)) {
      database.exec(`CREATE INDEX ${table}_type ON ${table} (event_type, active)`);
      created.push(`index ${table}_type`);
    }
    if (!exists(database, `${table}_target`)) {
      const duplicates = database
        .prepare(
          `SELECT event_type, target_url, group_concat(id, ', ') AS ids FROM ${table}
           GROUP BY event_type, target_url HAVING count(*) > 1`,
        )
        .all() as { event_type: string; target_url: string; ids: string }[];
      if (duplicates.length > 0) {
        const list = duplicates.map((row) => `${row.event_type} → ${row.target_url}: ${row.ids}`).join('; ');
        throw new WebhookError(
          WebhookErrorCode.SubscriptionExists,
          `${table} holds several subscriptions to the same event type and URL (${list}); delete all but one of each`,
        );
      }
      database.exec(`CREATE UNIQUE INDEX ${table}_target ON ${table} (event_type, target_url)`);
      created.push(`index ${table}_target`);
    }
    if (!exists(database, healthTableOf(table))) {
      database.exec(healthTableStatement(table, { integer: 'INTEGER', ifNotExists: false }));
      created.push(`table ${healthTableOf(table)}`);
    }
    return created;
  })();
}

/**
 * Refuses a deliveries table left by the webhook store of earlier versions (its own delivery and
 * attempt tables, before deliveries became outbox entries): the outbox cannot read it.
 *
 * @throws {WebhookError} `INVALID_OPTIONS` naming the table.
 */
export function refuseEarlierDeliveries(database: Database.Database, table: string): void {
  const columns = database.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[];
  if (!columns.some((column) => column.name === 'subscription_id')) return;
  throw new WebhookError(
    WebhookErrorCode.InvalidOptions,
    `table ${table} holds deliveries in the format of an earlier version: let them finish with that version, ` +
      `then drop ${table} and webhook_attempts, or give this store another deliveriesTable`,
  );
}
