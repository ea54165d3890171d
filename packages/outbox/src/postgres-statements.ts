/** The DDL of the PostgreSQL outbox table, idempotent. `event` is `json`, so it keeps its exact text. */
export function postgresSchema(table: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${table} (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      topic text,
      event json NOT NULL,
      attributes jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
      attempts integer NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]',
      enqueued_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      locked_until timestamptz,
      lease text,
      delivered_at timestamptz,
      failed_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (available_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS ${table}_failed ON ${table} (failed_at) WHERE status = 'undelivered';
    CREATE INDEX IF NOT EXISTS ${table}_delivered ON ${table} (delivered_at) WHERE status = 'delivered';
  `;
}

/** The PostgreSQL row of one event as the store selects it (JSON columns as text). */
export interface PostgresOutboxRow {
  seq: string;
  id: string;
  topic: string | null;
  event: string;
  attributes: string;
  attempts: number;
  errors: string;
  enqueued_at: Date;
  failed_at: Date | null;
}

/** The claim result: a row and the lease it had before, when its relay never recorded an outcome. */
export interface PostgresClaimedRow extends PostgresOutboxRow {
  previous_lease: string | null;
  previous_locked_until: Date | null;
}

const columns = `seq, id, topic, event::text AS event, attributes::text AS attributes, attempts,
  errors::text AS errors, enqueued_at, failed_at`;
const owned = `id = $1 AND lease = $2 AND status = 'pending'`;
const filter = (first: number): string => `($${first}::text IS NULL OR topic = $${first})
  AND ($${first + 1}::timestamptz IS NULL OR failed_at >= $${first + 1})
  AND ($${first + 2}::timestamptz IS NULL OR failed_at < $${first + 2})`;
const fresh = `status = 'pending', attempts = 0, available_at = $1, locked_until = NULL, lease = NULL,
  failed_at = NULL`;

/** The SQL of every store operation on `table`, with numbered parameters. */
export function postgresStatements(table: string) {
  return {
    insert: `INSERT INTO ${table} (id, topic, event, attributes, enqueued_at, available_at)
      VALUES ($1, $2, $3::json, $4::jsonb, $5, $6) ON CONFLICT (id) DO NOTHING`,
    insertUndelivered: `INSERT INTO ${table}
        (id, topic, event, attributes, enqueued_at, available_at, status, attempts, errors, failed_at)
      VALUES ($1, $2, $3::json, $4::jsonb, $5, $5, 'undelivered', 1, $6::jsonb, $7) ON CONFLICT (id) DO NOTHING`,
    cancel: `DELETE FROM ${table} WHERE id = $1 AND status = 'pending' AND lease IS NULL AND attempts = 0`,
    getUndelivered: `SELECT ${columns} FROM ${table} WHERE status = 'undelivered' AND id = $1`,
    deleteUndeliveredIds: `DELETE FROM ${table} WHERE status = 'undelivered' AND id = ANY($1::text[])`,
    deleteUndeliveredFiltered: `DELETE FROM ${table} WHERE status = 'undelivered' AND ${filter(1)}`,
    tableExists: `SELECT to_regclass($1) IS NOT NULL AS exists`,
    // One statement is one short transaction: SKIP LOCKED lets relays on many machines claim apart.
    claim: `WITH due AS (
        SELECT seq, lease AS previous_lease, locked_until AS previous_locked_until FROM ${table}
        WHERE status = 'pending' AND available_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
        ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
      )
      UPDATE ${table} AS o SET lease = $3, locked_until = $4, attempts = o.attempts + 1
      FROM due WHERE o.seq = due.seq
      RETURNING o.seq, o.id, o.topic, o.event::text AS event, o.attributes::text AS attributes, o.attempts,
        o.errors::text AS errors, o.enqueued_at, o.failed_at, due.previous_lease, due.previous_locked_until`,
    setErrors: `UPDATE ${table} SET errors = $3::jsonb WHERE id = $1 AND lease = $2`,
    delivered: `UPDATE ${table} SET status = 'delivered', delivered_at = $3, locked_until = NULL, lease = NULL
      WHERE ${owned}`,
    failed: `UPDATE ${table} SET errors = $3::jsonb, available_at = $4, locked_until = NULL, lease = NULL
      WHERE ${owned}`,
    undelivered: `UPDATE ${table} SET status = 'undelivered', errors = $3::jsonb, failed_at = $4,
      locked_until = NULL, lease = NULL WHERE ${owned}`,
    listUndelivered: `SELECT ${columns} FROM ${table} WHERE status = 'undelivered' AND seq > $1 AND ${filter(2)}
      ORDER BY seq LIMIT $5`,
    redeliverIds: `UPDATE ${table} SET ${fresh} WHERE status = 'undelivered' AND id = ANY($2::text[])`,
    redeliverFiltered: `UPDATE ${table} SET ${fresh} WHERE status = 'undelivered' AND ${filter(2)}`,
    purge: `DELETE FROM ${table} WHERE status = 'delivered' AND delivered_at < $1`,
    pendingCount: `SELECT count(*)::integer AS count FROM ${table} WHERE status = 'pending'`,
  };
}
