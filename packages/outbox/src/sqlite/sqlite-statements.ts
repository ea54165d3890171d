import type Database from 'better-sqlite3';

/**
 * The DDL of the SQLite outbox table, idempotent. A claimed entry's `available_at` is its lease
 * end, so the due index serves claims in due order without a sort.
 */
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
      history TEXT NOT NULL DEFAULT '[]',
      enqueued_at INTEGER NOT NULL,
      available_at INTEGER NOT NULL,
      locked_until INTEGER,
      lease TEXT,
      delivered_at INTEGER,
      failed_at INTEGER,
      ordering_key TEXT
    );
    CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (status, available_at);
    CREATE INDEX IF NOT EXISTS ${table}_failed ON ${table} (status, failed_at);
    CREATE INDEX IF NOT EXISTS ${table}_delivered ON ${table} (status, delivered_at);
    CREATE INDEX IF NOT EXISTS ${table}_leased ON ${table} (status, locked_until) WHERE lease IS NOT NULL;
  `;
}

/**
 * The indexes of ordered delivery and statistics, created once the `ordering_key` column exists
 * (a table of an earlier version gets it from the migration first). `_ordering` holds only
 * pending entries with a key, so the check "is an earlier entry of this key pending" is one probe
 * however many entries of the key were delivered; `_pending_age` finds the oldest pending entry.
 */
export function sqliteOrderingSchema(table: string): string {
  return `
    CREATE INDEX IF NOT EXISTS ${table}_ordering ON ${table} (ordering_key, seq)
      WHERE status = 'pending' AND ordering_key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${table}_pending_age ON ${table} (enqueued_at) WHERE status = 'pending';
  `;
}

/** The statements `enqueue` runs, prepared once for each connection it writes through. */
export type SqliteEnqueueStatements = Record<'insert' | 'insertUndelivered', Database.Statement>;

/** The prepared statements of a SQLite outbox table on the store's own connection. */
export type SqliteStatements = SqliteEnqueueStatements &
  Record<
    | 'cancel'
    | 'getEntry'
    | 'deleteUndeliveredId'
    | 'deleteUndeliveredFiltered'
    | 'due'
    | 'expired'
    | 'lease'
    | 'leaseAgain'
    | 'exhaust'
    | 'delivered'
    | 'retry'
    | 'undelivered'
    | 'listPending'
    | 'listUndelivered'
    | 'redeliverId'
    | 'redeliverFiltered'
    | 'purge'
    | 'pendingCount'
    | 'nextDue'
    | 'stats'
    | 'keyedUndelivered'
    | 'moveToEnd'
    | 'syncSequence'
    | 'ping',
    Database.Statement
  >;

const filter = `(@topic IS NULL OR topic = @topic)
  AND (@since IS NULL OR failed_at >= @since) AND (@until IS NULL OR failed_at < @until)`;
const owned = `id = @id AND lease = @lease AND status = 'pending'`;
const released = `locked_until = NULL, lease = NULL`;
// An entry with an ordering key waits while an earlier entry of its key is pending.
const first = (entry: string, table: string): string => `(${entry}.ordering_key IS NULL OR NOT EXISTS (
    SELECT 1 FROM ${table} AS earlier WHERE earlier.ordering_key = ${entry}.ordering_key
      AND earlier.status = 'pending' AND earlier.seq < ${entry}.seq))`;
const fresh = `status = 'pending', attempts = 0, available_at = @now, ${released}, failed_at = NULL`;

/** Prepares the inserts of `enqueue` on one connection. */
export function prepareEnqueueStatements(database: Database.Database, table: string): SqliteEnqueueStatements {
  return {
    insert: database.prepare(`INSERT INTO ${table}
      (id, topic, event, attributes, enqueued_at, available_at, ordering_key)
      VALUES (@id, @topic, @event, @attributes, @at, @available, @orderingKey) ON CONFLICT (id) DO NOTHING`),
    insertUndelivered: database.prepare(`INSERT INTO ${table}
      (id, topic, event, attributes, enqueued_at, available_at, status, attempts, history, failed_at, ordering_key)
      VALUES (@id, @topic, @event, @attributes, @at, @at, 'undelivered', 1, @history, @failedAt, @orderingKey)
      ON CONFLICT (id) DO NOTHING`),
  };
}

/** Prepares every statement once, so the hot path only binds and runs. */
export function prepareStatements(database: Database.Database, table: string): SqliteStatements {
  const prepare = (sql: string) => database.prepare(sql);
  return {
    ...prepareEnqueueStatements(database, table),
    cancel: prepare(`DELETE FROM ${table} WHERE id = @id AND status = 'pending' AND lease IS NULL AND attempts = 0`),
    getEntry: prepare(`SELECT * FROM ${table} WHERE id = @id`),
    deleteUndeliveredId: prepare(`DELETE FROM ${table} WHERE id = @id AND status = 'undelivered'`),
    deleteUndeliveredFiltered: prepare(`DELETE FROM ${table} WHERE status = 'undelivered' AND ${filter}`),
    // Never-claimed entries, retries and redeliveries, longest due first (the due index's order);
    // an entry whose lease ran out is `expired`.
    due: prepare(`SELECT * FROM ${table} AS entry INDEXED BY ${table}_due
      WHERE status = 'pending' AND available_at <= @now AND lease IS NULL AND ${first('entry', table)}
      ORDER BY available_at, seq LIMIT @limit`),
    expired: prepare(`SELECT * FROM ${table}
      WHERE status = 'pending' AND lease IS NOT NULL AND locked_until <= @now ORDER BY seq LIMIT @limit`),
    lease: prepare(`UPDATE ${table} SET lease = @lease, locked_until = @lockedUntil, available_at = @lockedUntil,
      attempts = attempts + 1 WHERE seq = @seq`),
    leaseAgain: prepare(`UPDATE ${table} SET history = @history, lease = @lease, locked_until = @lockedUntil,
      available_at = @lockedUntil, attempts = attempts + 1 WHERE seq = @seq`),
    exhaust: prepare(`UPDATE ${table} SET status = 'undelivered', history = @history, failed_at = @at, ${released}
      WHERE seq = @seq`),
    delivered: prepare(`UPDATE ${table} SET status = 'delivered', history = @history, delivered_at = @at, ${released}
      WHERE ${owned}`),
    retry: prepare(`UPDATE ${table} SET history = @history, available_at = @next, ${released} WHERE ${owned}`),
    undelivered: prepare(`UPDATE ${table} SET status = 'undelivered', history = @history, failed_at = @at, ${released}
      WHERE ${owned}`),
    listPending: prepare(`SELECT * FROM ${table} WHERE status = 'pending' AND seq > @after
      AND (@topic IS NULL OR topic = @topic) ORDER BY seq LIMIT @limit`),
    listUndelivered: prepare(`SELECT * FROM ${table} WHERE status = 'undelivered' AND seq > @after AND ${filter}
      ORDER BY seq LIMIT @limit`),
    redeliverId: prepare(`UPDATE ${table} SET ${fresh} WHERE id = @id AND status = 'undelivered'`),
    redeliverFiltered: prepare(`UPDATE ${table} SET ${fresh} WHERE status = 'undelivered' AND ${filter}`),
    purge: prepare(`DELETE FROM ${table} WHERE status = 'delivered' AND delivered_at < @before`),
    pendingCount: prepare(`SELECT count(*) AS count FROM ${table} WHERE status = 'pending'`),
    // When the next entry falls due: a scheduled one, a retry, or a lease that ends.
    nextDue: prepare(`SELECT min(available_at) AS at FROM ${table} WHERE status = 'pending' AND available_at > @now`),
    stats: prepare(`SELECT
      (SELECT count(*) FROM ${table} WHERE status = 'pending') AS pending,
      (SELECT count(*) FROM ${table} AS entry WHERE status = 'pending' AND available_at <= @now AND lease IS NULL
        AND ${first('entry', table)}) AS due,
      (SELECT count(*) FROM ${table} WHERE status = 'pending' AND lease IS NOT NULL) AS claimed,
      (SELECT min(enqueued_at) FROM ${table} WHERE status = 'pending') AS oldestPending,
      (SELECT count(*) FROM ${table} WHERE status = 'undelivered') AS undelivered,
      (SELECT min(failed_at) FROM ${table} WHERE status = 'undelivered') AS oldestFailed`),
    keyedUndelivered: prepare(`SELECT id FROM ${table}
      WHERE status = 'undelivered' AND ordering_key IS NOT NULL AND ${filter} ORDER BY seq`),
    // A redelivered entry with a key rejoins it at the end: a sequence number after every other.
    moveToEnd: prepare(`UPDATE ${table} SET seq = 1 + max(
        (SELECT max(seq) FROM ${table}),
        coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${table}'), 0))
      WHERE id = @id AND ordering_key IS NOT NULL`),
    // AUTOINCREMENT then never hands out a moved entry's number again, even once it is purged.
    syncSequence: prepare(`UPDATE sqlite_sequence SET seq = max(seq, (SELECT max(seq) FROM ${table}))
      WHERE name = '${table}'`),
    ping: prepare('SELECT 1'),
  };
}
