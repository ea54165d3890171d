// The SQLite store of the outbox. Importing this entry loads better-sqlite3, an optional peer
// dependency of @events-protocol/outbox: install it beside the package to use this store.
export { SqliteOutboxStore } from './sqlite-outbox-store.js';
export type { SqliteOutboxStoreOptions, SqliteEnqueueOptions } from './sqlite-options.js';

// For operators and tools reading the table directly.
export type { SqliteOutboxRow } from './sqlite-rows.js';
