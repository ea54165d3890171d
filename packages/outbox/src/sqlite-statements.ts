import type Database from 'better-sqlite3';

/** The DDL of the SQLite outbox table, idempotent. */
export function sqliteSchema(table: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${table} (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      topic TEXT,
      event TEXT NOT NULL,
      attributes TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
      attempts INTEGER NOT NULL DEFAULT 0,
      errors TEXT NOT NULL DEFAULT '[]',
      enqueued_at INTEGER NOT NULL,
      available_at INTEGER NOT NULL,
      locked_until INTEGER,
      lease TEXT,
      delivered_at INTEGER,
      failed_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (status, available_at);
    CREATE INDEX IF NOT EXISTS ${table}_failed ON ${table} (status, failed_at);
    CREATE INDEX IF NOT EXISTS ${table}_delivered ON ${table} (status, delivered_at);
    CREATE INDEX IF NOT EXISTS ${table}_leased ON ${table} (status, locked_until) WHERE lease IS NOT NULL;
  `;
}

/** The prepared statements of a SQLite outbox table. */
export type SqliteStatements = Record<
  | 'insert'
  | 'insertUndelivered'
  | 'cancel'
  | 'getUndelivered'
  | 'deleteUndeliveredId'
  | 'deleteUndeliveredFiltered'
  | 'due'
  | 'expired'
  | 'lease'
  | 'leaseAgain'
  | 'exhaust'
  | 'delivered'
  | 'failed'
  | 'undelivered'
  | 'listUndelivered'
  | 'redeliverId'
  | 'redeliverFiltered'
  | 'purge'
  | 'pendingCount'
  | 'ping',
  Database.Statement
>;

const filter = `(@topic IS NULL OR topic = @topic)
  AND (@since IS NULL OR failed_at >= @since) AND (@until IS NULL OR failed_at < @until)`;
const owned = `id = @id AND lease = @lease AND status = 'pending'`;
const fresh = `status = 'pending', attempts = 0, available_at = @now, locked_until = NULL, lease = NULL,
  failed_at = NULL`;

/** Prepares every statement once, so the hot path only binds and runs. */
export function prepareStatements(database: Database.Database, table: string): SqliteStatements {
  const prepare = (sql: string) => database.prepare(sql);
  return {
    insert: prepare(`INSERT INTO ${table} (id, topic, event, attributes, enqueued_at, available_at)
      VALUES (@id, @topic, @event, @attributes, @at, @available) ON CONFLICT (id) DO NOTHING`),
    insertUndelivered: prepare(`INSERT INTO ${table}
      (id, topic, event, attributes, enqueued_at, available_at, status, attempts, errors, failed_at)
      VALUES (@id, @topic, @event, @attributes, @at, @at, 'undelivered', 1, @errors, @failedAt)
      ON CONFLICT (id) DO NOTHING`),
    cancel: prepare(`DELETE FROM ${table} WHERE id = @id AND status = 'pending' AND lease IS NULL AND attempts = 0`),
    getUndelivered: prepare(`SELECT * FROM ${table} WHERE id = @id AND status = 'undelivered'`),
    deleteUndeliveredId: prepare(`DELETE FROM ${table} WHERE id = @id AND status = 'undelivered'`),
    deleteUndeliveredFiltered: prepare(`DELETE FROM ${table} WHERE status = 'undelivered' AND ${filter}`),
    // Never-claimed events, retries and redeliveries; an event whose lease ran out is `expired`.
    due: prepare(`SELECT * FROM ${table}
      WHERE status = 'pending' AND lease IS NULL AND available_at <= @now ORDER BY seq LIMIT @limit`),
    expired: prepare(`SELECT * FROM ${table}
      WHERE status = 'pending' AND lease IS NOT NULL AND locked_until <= @now ORDER BY seq LIMIT @limit`),
    lease: prepare(`UPDATE ${table} SET lease = @lease, locked_until = @lockedUntil, attempts = attempts + 1
      WHERE seq = @seq`),
    leaseAgain: prepare(`UPDATE ${table} SET errors = @errors, lease = @lease, locked_until = @lockedUntil,
      attempts = attempts + 1 WHERE seq = @seq`),
    exhaust: prepare(`UPDATE ${table} SET status = 'undelivered', errors = @errors, failed_at = @at,
      locked_until = NULL, lease = NULL WHERE seq = @seq`),
    delivered: prepare(`UPDATE ${table} SET status = 'delivered', delivered_at = @at, locked_until = NULL,
      lease = NULL WHERE ${owned}`),
    failed: prepare(`UPDATE ${table} SET errors = @errors, available_at = @next, locked_until = NULL, lease = NULL
      WHERE ${owned}`),
    undelivered: prepare(`UPDATE ${table} SET status = 'undelivered', errors = @errors, failed_at = @at,
      locked_until = NULL, lease = NULL WHERE ${owned}`),
    listUndelivered: prepare(`SELECT * FROM ${table} WHERE status = 'undelivered' AND seq > @after AND ${filter}
      ORDER BY seq LIMIT @limit`),
    redeliverId: prepare(`UPDATE ${table} SET ${fresh} WHERE id = @id AND status = 'undelivered'`),
    redeliverFiltered: prepare(`UPDATE ${table} SET ${fresh} WHERE status = 'undelivered' AND ${filter}`),
    purge: prepare(`DELETE FROM ${table} WHERE status = 'delivered' AND delivered_at < @before`),
    pendingCount: prepare(`SELECT count(*) AS count FROM ${table} WHERE status = 'pending'`),
    ping: prepare('SELECT 1'),
  };
}
