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
    CREATE INDEX IF NOT EXISTS ${table}_leased ON ${table} (locked_until) WHERE status = 'pending' AND lease IS NOT NULL;
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

/**
 * What a claim did with a row: `claimed` (a due event), `reclaimed` (its lease expired: the
 * interrupted attempt is recorded and the event claimed alone), or `undelivered` (out of attempts).
 */
export interface PostgresClaimedRow extends PostgresOutboxRow {
  outcome: 'claimed' | 'reclaimed' | 'undelivered';
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
    // One statement is one short transaction; SKIP LOCKED lets relays on many machines claim apart.
    // First the events whose lease ran out: each interrupted attempt is recorded as LEASE_EXPIRED
    // ($6 is its name, code and message); an event whose budget ($5) that spent goes undelivered,
    // and the oldest other one is claimed alone. Only when none is left are due events claimed; one
    // that already had its last attempt goes undelivered unsent.
    claim: `WITH expired AS (
        SELECT seq, attempts >= $5::bigint AS spent FROM ${table}
        WHERE status = 'pending' AND lease IS NOT NULL AND locked_until <= $1
        ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
      ), alone AS (
        SELECT seq FROM expired WHERE NOT spent ORDER BY seq LIMIT 1
      ), due AS (
        SELECT seq, attempts >= $5::bigint AS spent FROM ${table}
        WHERE status = 'pending' AND lease IS NULL AND available_at <= $1 AND NOT EXISTS (SELECT 1 FROM alone)
        ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
      ), chosen AS (
        SELECT seq, 'undelivered' AS outcome, true AS interrupted FROM expired WHERE spent
        UNION ALL SELECT seq, 'reclaimed', true FROM alone
        UNION ALL SELECT seq, CASE WHEN spent THEN 'undelivered' ELSE 'claimed' END, false FROM due
      )
      UPDATE ${table} AS o SET
        status = CASE WHEN c.outcome = 'undelivered' THEN 'undelivered' ELSE 'pending' END,
        attempts = CASE WHEN c.outcome = 'undelivered' THEN o.attempts ELSE o.attempts + 1 END,
        errors = CASE WHEN c.interrupted THEN o.errors || jsonb_build_array($6::jsonb || jsonb_build_object(
          'attempt', o.attempts,
          'at', to_char(o.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) ELSE o.errors END,
        failed_at = CASE WHEN c.outcome <> 'undelivered' THEN o.failed_at
          WHEN c.interrupted THEN o.locked_until ELSE $1::timestamptz END,
        lease = CASE WHEN c.outcome = 'undelivered' THEN NULL ELSE $3::text END,
        locked_until = CASE WHEN c.outcome = 'undelivered' THEN NULL ELSE $4::timestamptz END
      FROM chosen AS c WHERE o.seq = c.seq
      RETURNING c.outcome, o.seq, o.id, o.topic, o.event::text AS event, o.attributes::text AS attributes,
        o.attempts, o.errors::text AS errors, o.enqueued_at, o.failed_at`,
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
