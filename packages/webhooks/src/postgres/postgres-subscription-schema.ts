import type { PoolClient } from 'pg';
import { healthTableOf, healthTableStatement } from '../endpoint-health-table.js';

/** The statements that create the table and its indexes, by what and the name each creates. */
function schemaStatements(table: string): [kind: 'table' | 'index', name: string, sql: string][] {
  return [
    [
      'table',
      table,
      `CREATE TABLE IF NOT EXISTS ${table} (
         id TEXT PRIMARY KEY,
         seq BIGINT GENERATED ALWAYS AS IDENTITY,
         event_type TEXT NOT NULL,
         target_url TEXT NOT NULL,
         active BOOLEAN NOT NULL,
         document JSONB NOT NULL)`,
    ],
    [
      'index',
      `${table}_target`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${table}_target ON ${table} (event_type, target_url)`,
    ],
    ['index', `${table}_type`, `CREATE INDEX IF NOT EXISTS ${table}_type ON ${table} (event_type, active, seq)`],
    // Added by a later version: a database set up before gets it at the next setup (or first use).
    ['table', healthTableOf(table), healthTableStatement(table, { integer: 'BIGINT', ifNotExists: true })],
  ];
}

/**
 * Creates the subscriptions table and its indexes when missing, in one transaction under an
 * advisory lock (concurrent `CREATE … IF NOT EXISTS` can still collide in the catalog), and names
 * what it created.
 */
export async function createSubscriptionSchema(client: PoolClient, table: string): Promise<string[]> {
  const created: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`events-protocol-webhooks:${table}`]);
    for (const [kind, name, sql] of schemaStatements(table)) {
      const found = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name]);
      if (found.rows[0]?.found !== null && found.rows[0]?.found !== undefined) continue;
      await client.query(sql);
      created.push(`${kind} ${name}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return created;
}
