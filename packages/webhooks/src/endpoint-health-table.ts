/** The endpoint health table beside a SQL store's subscriptions table: `<table>_health`. */
export function healthTableOf(table: string): string {
  return `${table}_health`;
}

/** How a SQL dialect spells the health table's statement. */
export interface HealthTableDialect {
  /** The type of a 64-bit integer column: `BIGINT` in PostgreSQL, `INTEGER` in SQLite. */
  readonly integer: 'BIGINT' | 'INTEGER';
  /** Whether the statement may run against a table that exists (`CREATE TABLE IF NOT EXISTS`). */
  readonly ifNotExists: boolean;
}

/**
 * The statement that creates the health table of the SQL stores: one row per subscription, times
 * in ms since the epoch. One column list for PostgreSQL and SQLite, so both keep the same row
 * (`EndpointHealthRow`).
 */
export function healthTableStatement(table: string, dialect: HealthTableDialect): string {
  const { integer } = dialect;
  return `CREATE TABLE ${dialect.ifNotExists ? 'IF NOT EXISTS ' : ''}${healthTableOf(table)} (
    subscription_id TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL,
    failing_since ${integer},
    last_delivered_at ${integer},
    last_failed_at ${integer},
    delivered ${integer} NOT NULL,
    failed ${integer} NOT NULL)`;
}
