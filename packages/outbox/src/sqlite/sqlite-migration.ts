import type Database from 'better-sqlite3';
import { historyOfLegacyErrors } from './legacy-attempt-errors.js';

/**
 * Brings a table written by an earlier version (attempt errors in an `errors` column) to the
 * attempt records of this one: adds the `history` column and converts each entry's errors into
 * it, in one transaction, so a second process opening the file at the same time waits and then
 * finds it done. The `errors` column stays (empty) for processes of the earlier version still
 * writing new entries; an entry's errors that cannot be read are left in place. Names what it
 * changed: `[]` for a table of this version.
 */
export function migrateSqliteTable(database: Database.Database, table: string): string[] {
  // Read first, without the write lock: a file of this version is opened without waiting for
  // another process's writes.
  if (!needsMigration(database, table)) return [];
  const migrate = database.transaction((): string[] => {
    if (!needsMigration(database, table)) return [];
    database.exec(`ALTER TABLE ${table} ADD COLUMN history TEXT NOT NULL DEFAULT '[]'`);
    const rows = database.prepare(`SELECT seq, errors FROM ${table} WHERE errors <> '[]'`).all() as {
      seq: number;
      errors: string;
    }[];
    const convert = database.prepare(`UPDATE ${table} SET history = @history, errors = '[]' WHERE seq = @seq`);
    let converted = 0;
    for (const row of rows) {
      const history = historyOfLegacyErrors(row.errors);
      if (history === undefined) continue;
      convert.run({ seq: row.seq, history });
      converted++;
    }
    return [`column history of ${table} (attempt errors of ${converted} entries converted)`];
  });
  return migrate.immediate();
}

/** Whether the table still keeps attempt errors instead of attempt records. */
function needsMigration(database: Database.Database, table: string): boolean {
  const columns = database.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
  return columns.includes('errors') && !columns.includes('history');
}

/**
 * Adds the `ordering_key` column to a table of an earlier version (its entries have no key, so
 * they stay unordered), then the indexes of ordered delivery and statistics when missing, in one
 * transaction. Names what it added: `[]` when everything existed.
 */
export function addOrderingColumn(database: Database.Database, table: string, indexes: string): string[] {
  const add = database.transaction((): string[] => {
    const columns = database.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    const added = columns.includes('ordering_key') ? [] : [`column ordering_key of ${table}`];
    if (added.length > 0) database.exec(`ALTER TABLE ${table} ADD COLUMN ordering_key TEXT`);
    database.exec(indexes);
    return added;
  });
  return add.immediate();
}
