import { maxKeptAttempts } from '../outbox-store.js';

// The newest records of a history that just had one appended: a jsonpath slice, so it needs no
// function in the database.
const kept = (history: string): string =>
  `jsonb_path_query_array(${history}, '$[last - ${maxKeptAttempts - 1} to last]')`;

const entryColumns = `seq, id, topic, event::text AS event, attributes::text AS attributes, status, attempts,
  history::text AS history, enqueued_at, available_at, locked_until, lease IS NOT NULL AS claimed, delivered_at,
  failed_at, ordering_key`;
const filter = (first: number): string => `($${first}::text IS NULL OR topic = $${first})
  AND ($${first + 1}::timestamptz IS NULL OR failed_at >= $${first + 1})
  AND ($${first + 2}::timestamptz IS NULL OR failed_at < $${first + 2})`;
const fresh = `status = 'pending', attempts = 0, available_at = $1, locked_until = NULL, lease = NULL,
  failed_at = NULL`;
// An entry with an ordering key waits while an earlier entry of its key is pending.
const first = (entry: string, table: string): string => `(${entry}.ordering_key IS NULL OR NOT EXISTS (
    SELECT 1 FROM ${table} AS earlier WHERE earlier.ordering_key = ${entry}.ordering_key
      AND earlier.status = 'pending' AND earlier.seq < ${entry}.seq))`;
// Enqueues and redeliveries of one ordering key, in any transactions, take its position (a
// sequence number) one after another: each holds the key's advisory lock until it commits, so no
// earlier position of a key can commit after a later one was claimed.
const lockKeys = (table: string, keys: string): string =>
  `SELECT count(pg_advisory_xact_lock(hashtextextended('events-protocol-outbox:${table}:' || k.key, 0))) AS locked
  FROM (SELECT DISTINCT key FROM (${keys}) AS keys(key) WHERE key IS NOT NULL ORDER BY key) AS k`;
// Redelivered entries with a key rejoin it at the end, in their earlier order: new sequence numbers.
const redeliver = (table: string, selected: string): string => `WITH selected AS (
        SELECT seq, ordering_key FROM ${table} WHERE status = 'undelivered' AND ${selected} ORDER BY seq FOR UPDATE
      ), gate AS (${lockKeys(table, 'SELECT ordering_key FROM selected')}
      ), renumbered AS (
        SELECT s.seq AS old_seq, CASE WHEN s.ordering_key IS NULL THEN s.seq
          ELSE nextval(pg_get_serial_sequence('${table}', 'seq')) END AS new_seq
        FROM (SELECT seq, ordering_key FROM selected ORDER BY seq) AS s, gate
      ), due AS (
        UPDATE ${table} AS o SET ${fresh}, seq = r.new_seq FROM renumbered AS r WHERE o.seq = r.old_seq RETURNING 1
      ) SELECT count(*)::integer AS count, CASE WHEN count(*) > 0 THEN pg_notify($2, '') END AS woke FROM due`;

/**
 * The name of the channel a store on `table` notifies on every enqueue and listens to in
 * `waitForEntries`: the table's name as PostgreSQL folds it.
 */
export function postgresChannel(table: string): string {
  return table.toLowerCase();
}

/**
 * The SQL of every store operation on `table`, with numbered parameters. Each is one statement,
 * so one round trip and one transaction of its own (or a part of the caller's).
 */
export function postgresStatements(table: string) {
  return {
    // Parameters are parallel arrays, one element per entry ($11 the ordering keys, $12 the channel). The insert and
    // its notification are one statement: inside the caller's transaction the notification is
    // sent on COMMIT, and never on ROLLBACK. A scheduled or undelivered entry wakes a relay for
    // nothing at worst; a due one must.
    insert: `WITH gate AS (${lockKeys(table, 'SELECT unnest($11::text[])')}
      ), stored AS (
        INSERT INTO ${table}
          (id, topic, event, attributes, enqueued_at, available_at, status, attempts, history, failed_at, ordering_key)
        SELECT e.id, e.topic, e.event::json, e.attributes::jsonb, e.enqueued_at, e.available_at, e.status,
          e.attempts, e.history::jsonb, e.failed_at, e.ordering_key
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
          $7::text[], $8::integer[], $9::text[], $10::timestamptz[], $11::text[])
          WITH ORDINALITY AS e(id, topic, event, attributes, enqueued_at, available_at, status, attempts, history,
            failed_at, ordering_key, position), gate
        ORDER BY e.position
        ON CONFLICT (id) DO NOTHING
        RETURNING id, status
      )
      SELECT id, CASE WHEN status = 'pending' THEN pg_notify($12, '') END AS woke FROM stored`,
    cancel: `DELETE FROM ${table} WHERE id = $1 AND status = 'pending' AND lease IS NULL AND attempts = 0`,
    getEntry: `SELECT ${entryColumns} FROM ${table} WHERE id = $1`,
    deleteUndeliveredIds: `DELETE FROM ${table} WHERE status = 'undelivered' AND id = ANY($1::text[])`,
    deleteUndeliveredFiltered: `DELETE FROM ${table} WHERE status = 'undelivered' AND ${filter(1)}`,
    // One statement is one short transaction; SKIP LOCKED lets relays on many machines claim apart.
    // First the events whose lease ran out: each interrupted attempt is recorded ($6 is its name,
    // code and message); an event whose budget ($5) that spent goes undelivered, and the oldest
    // other one is claimed alone. Only when none is left are due events claimed; one that already
    // had its last attempt goes undelivered unsent.
    // The claim's commit does not wait for the WAL flush (`relaxed`): a claim that PostgreSQL's own
    // crash loses leaves its entries pending and unleased, so they are claimed again
    // (at-least-once), and the next synchronous commit (a settlement's) flushes it with its own.
    // A relay's crash loses nothing: the claim committed.
    claim: `WITH relaxed AS (
        SELECT set_config('synchronous_commit', 'off', true) AS setting
      ), expired AS (
        SELECT seq, attempts >= $5::bigint AS spent FROM ${table}
        WHERE status = 'pending' AND lease IS NOT NULL AND locked_until <= $1
        ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
      ), alone AS (
        SELECT seq FROM expired WHERE NOT spent ORDER BY seq LIMIT 1
      ), due AS (
        SELECT seq, attempts >= $5::bigint AS spent FROM ${table} AS entry
        WHERE status = 'pending' AND lease IS NULL AND available_at <= $1 AND NOT EXISTS (SELECT 1 FROM alone)
          AND ${first('entry', table)}
        ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
      ), chosen AS (
        SELECT seq, 'undelivered' AS outcome, true AS interrupted FROM expired WHERE spent
        UNION ALL SELECT seq, 'reclaimed', true FROM alone
        UNION ALL SELECT seq, CASE WHEN spent THEN 'undelivered' ELSE 'claimed' END, false FROM due
      )
      UPDATE ${table} AS o SET
        status = CASE WHEN c.outcome = 'undelivered' THEN 'undelivered' ELSE 'pending' END,
        attempts = CASE WHEN c.outcome = 'undelivered' THEN o.attempts ELSE o.attempts + 1 END,
        history = CASE WHEN c.interrupted THEN ${kept(`o.history || jsonb_build_array(jsonb_build_object(
          'attempt', o.attempts,
          'at', to_char(o.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'durationMs', 0,
          'outcome', 'interrupted',
          'error', $6::jsonb))`)} ELSE o.history END,
        failed_at = CASE WHEN c.outcome <> 'undelivered' THEN o.failed_at
          WHEN c.interrupted THEN o.locked_until ELSE $1::timestamptz END,
        lease = CASE WHEN c.outcome = 'undelivered' THEN NULL ELSE $3::text END,
        locked_until = CASE WHEN c.outcome = 'undelivered' THEN NULL ELSE $4::timestamptz END
      FROM chosen AS c, relaxed WHERE o.seq = c.seq
      RETURNING c.outcome, o.seq, o.id, o.topic, o.event::text AS event, o.attributes::text AS attributes,
        o.attempts, o.history::text AS history, o.enqueued_at, o.ordering_key`,
    // $1 is the batch (see `settlementsParameter`), $2 the relay's clock. Only rows whose lease
    // still matches change; RETURNING says which. A settlement repeated in one batch matches once.
    settle: `UPDATE ${table} AS o SET
        status = CASE WHEN s.next = 'retry' THEN 'pending' ELSE s.next END,
        history = ${kept('o.history || jsonb_build_array(s.attempt)')},
        available_at = CASE WHEN s.next = 'retry' THEN s.due ELSE o.available_at END,
        delivered_at = CASE WHEN s.next = 'delivered' THEN $2::timestamptz ELSE o.delivered_at END,
        failed_at = CASE WHEN s.next = 'undelivered' THEN $2::timestamptz ELSE o.failed_at END,
        locked_until = NULL, lease = NULL
      FROM jsonb_to_recordset($1::jsonb) AS s(position integer, id text, lease text, next text, attempt jsonb,
        due timestamptz)
      WHERE o.id = s.id AND o.lease = s.lease AND o.status = 'pending'
      RETURNING s.position`,
    listPending: `SELECT ${entryColumns} FROM ${table}
      WHERE status = 'pending' AND seq > $1 AND ($2::text IS NULL OR topic = $2) ORDER BY seq LIMIT $3`,
    listUndelivered: `SELECT ${entryColumns} FROM ${table} WHERE status = 'undelivered' AND seq > $1 AND ${filter(2)}
      ORDER BY seq LIMIT $5`,
    // Entries due again wake waiting relays, like an enqueue ($2 is the channel).
    redeliverIds: redeliver(table, 'id = ANY($3::text[])'),
    redeliverFiltered: redeliver(table, filter(3)),
    purge: `DELETE FROM ${table} WHERE status = 'delivered' AND delivered_at < $1`,
    pendingCount: `SELECT count(*)::integer AS count FROM ${table} WHERE status = 'pending'`,
    // $1 is now. Each count and minimum reads one partial index.
    stats: `SELECT
      (SELECT count(*)::integer FROM ${table} WHERE status = 'pending') AS pending,
      (SELECT count(*)::integer FROM ${table} AS entry WHERE status = 'pending' AND lease IS NULL
        AND available_at <= $1 AND ${first('entry', table)}) AS due,
      (SELECT count(*)::integer FROM ${table} WHERE status = 'pending' AND lease IS NOT NULL) AS claimed,
      (SELECT min(enqueued_at) FROM ${table} WHERE status = 'pending') AS oldest_pending,
      (SELECT count(*)::integer FROM ${table} WHERE status = 'undelivered') AS undelivered,
      (SELECT min(failed_at) FROM ${table} WHERE status = 'undelivered') AS oldest_failed`,
  };
}

/** The statements of one table, as {@link postgresStatements} builds them. */
export type PostgresStatements = ReturnType<typeof postgresStatements>;
