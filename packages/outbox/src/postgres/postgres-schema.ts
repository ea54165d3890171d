import type { ClientBase } from 'pg';
import { maxKeptAttempts } from '../outbox-store.js';

/**
 * The DDL of the PostgreSQL outbox table, idempotent. `event` is `json`, so it keeps its exact
 * text (64-bit integers and key order included); `history` holds the kept attempt records.
 * `_ready` is what a claim scans: unclaimed pending entries in enqueue order. `_ordering` holds
 * only pending entries with an ordering key, so "is an earlier entry of this key pending" is one
 * probe however many of the key were delivered; `_pending_age` finds the oldest pending entry.
 */
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
      history jsonb NOT NULL DEFAULT '[]',
      enqueued_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      locked_until timestamptz,
      lease text,
      delivered_at timestamptz,
      failed_at timestamptz,
      ordering_key text
    );
    CREATE INDEX IF NOT EXISTS ${table}_ready ON ${table} (seq) WHERE status = 'pending' AND lease IS NULL;
    CREATE INDEX IF NOT EXISTS ${table}_failed ON ${table} (failed_at) WHERE status = 'undelivered';
    CREATE INDEX IF NOT EXISTS ${table}_delivered ON ${table} (delivered_at) WHERE status = 'delivered';
    CREATE INDEX IF NOT EXISTS ${table}_leased ON ${table} (locked_until) WHERE status = 'pending' AND lease IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${table}_ordering ON ${table} (ordering_key, seq)
      WHERE status = 'pending' AND ordering_key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${table}_pending_age ON ${table} (enqueued_at) WHERE status = 'pending';
  `;
}

/**
 * Converts the `errors` column of a table the previous version created into `history`, in one
 * statement: each `{attempt, at, message, name?, code?}` becomes an attempt record, `interrupted`
 * for an expired lease (`LEASE_EXPIRED`) and `failed` otherwise, with a duration of 0 (the old
 * records did not measure it). The newest records are kept, as many as a history holds.
 */
export function convertErrorsToHistory(table: string): string {
  return `UPDATE ${table} SET history = (
      SELECT COALESCE(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'attempt', e.item -> 'attempt',
        'at', e.item -> 'at',
        'durationMs', 0,
        'outcome', CASE WHEN e.item ->> 'code' = 'LEASE_EXPIRED' THEN 'interrupted' ELSE 'failed' END,
        'error', jsonb_build_object('message', e.item -> 'message', 'name', e.item -> 'name', 'code', e.item -> 'code')
      )) ORDER BY e.position), '[]'::jsonb)
      FROM jsonb_array_elements(errors) WITH ORDINALITY AS e(item, position)
      WHERE e.position > jsonb_array_length(errors) - ${maxKeptAttempts}
    )
    WHERE jsonb_typeof(errors) = 'array' AND errors <> '[]'::jsonb`;
}

const columnsOf = `SELECT attname AS name FROM pg_attribute
  WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`;

/**
 * Creates the table and its indexes when missing, and brings a table of the previous version up
 * to date (its `errors` become `history`). Runs on `client` inside one transaction that holds an
 * advisory lock on the table's name, so processes starting together do it once. Says what it
 * created or converted.
 */
export async function preparePostgresTable(client: Pick<ClientBase, 'query'>, table: string): Promise<string[]> {
  const created: string[] = [];
  try {
    await client.query('BEGIN');
    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: serialise them.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`events-protocol-outbox:${table}`]);
    const before = new Set((await client.query<{ name: string }>(columnsOf, [table])).rows.map((row) => row.name));
    if (before.size === 0) created.push(`table ${table}`);
    else if (!before.has('history')) {
      await client.query(`ALTER TABLE ${table} ADD COLUMN history jsonb NOT NULL DEFAULT '[]'`);
      created.push(`column ${table}.history`);
    }
    if (before.has('errors')) {
      await client.query(convertErrorsToHistory(table));
      await client.query(`ALTER TABLE ${table} DROP COLUMN errors`);
      // Claims scan the `_ready` index now; the old one would only slow every write down.
      await client.query(`DROP INDEX IF EXISTS ${table}_due`);
      created.push(`attempt history of ${table} from its errors column`);
    }
    if (before.size > 0 && !before.has('ordering_key')) {
      // Entries stored before have no key: they stay unordered.
      await client.query(`ALTER TABLE ${table} ADD COLUMN ordering_key text`);
      created.push(`column ${table}.ordering_key`);
    }
    // Also the indexes a table of the previous version lacks.
    await client.query(postgresSchema(table));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return created;
}
