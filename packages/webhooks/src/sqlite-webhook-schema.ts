import type Database from 'better-sqlite3';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

const tables = `
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id TEXT PRIMARY KEY, event_type TEXT NOT NULL, document TEXT NOT NULL, active INTEGER NOT NULL,
  target_url TEXT);
CREATE INDEX IF NOT EXISTS webhook_subscriptions_type ON webhook_subscriptions (event_type, active);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, event_id TEXT NOT NULL,
  event_type TEXT NOT NULL, event TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL, lease_until INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  claimed_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (subscription_id, event_id));
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE TABLE IF NOT EXISTS webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id INTEGER NOT NULL, subscription_id TEXT NOT NULL,
  event_id TEXT NOT NULL, attempt INTEGER NOT NULL, requested_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
  status INTEGER, response_excerpt TEXT, error TEXT);
CREATE INDEX IF NOT EXISTS webhook_attempts_delivery ON webhook_attempts (delivery_id);
`;

function columns(db: Database.Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

/**
 * Creates the webhook tables, or brings a database made by an earlier version up to date: the
 * target URL as a column under a unique index (one subscription per event type and URL), and the
 * claim time of a delivery (so a lapsed lease is recorded as an attempt).
 *
 * @throws {WebhookError} `SUBSCRIPTION_EXISTS` when an older database holds duplicate
 * subscriptions, naming them, so that they can be resolved before the store opens.
 */
export function prepareWebhookSchema(db: Database.Database): void {
  db.transaction(() => {
    db.exec(tables);
    if (!columns(db, 'webhook_subscriptions').has('target_url')) {
      db.exec('ALTER TABLE webhook_subscriptions ADD COLUMN target_url TEXT');
    }
    db.exec(
      "UPDATE webhook_subscriptions SET target_url = json_extract(document, '$.targetUrl') WHERE target_url IS NULL",
    );
    if (!columns(db, 'webhook_deliveries').has('claimed_at')) {
      db.exec('ALTER TABLE webhook_deliveries ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0');
    }
    const duplicates = db
      .prepare(
        `SELECT event_type, target_url, group_concat(id, ', ') AS ids FROM webhook_subscriptions
         GROUP BY event_type, target_url HAVING count(*) > 1`,
      )
      .all() as { event_type: string; target_url: string; ids: string }[];
    if (duplicates.length > 0) {
      const list = duplicates.map((row) => `${row.event_type} → ${row.target_url}: ${row.ids}`).join('; ');
      throw new WebhookError(
        WebhookErrorCode.SubscriptionExists,
        `the store holds several subscriptions to the same event type and URL (${list}); delete all but one of each`,
      );
    }
    db.exec(
      'CREATE UNIQUE INDEX IF NOT EXISTS webhook_subscriptions_target ON webhook_subscriptions (event_type, target_url)',
    );
  })();
}
