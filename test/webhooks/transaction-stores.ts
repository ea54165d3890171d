import { WebhookDispatcher, type WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import pg from 'pg';
import { storeFile } from './harness.js';

/** The target policy of the transaction tests: the receiver listens on 127.0.0.1. */
export const localTargets = { allowPrivateNetworks: true };

/**
 * A SQLite webhook store on a fresh file, set up, with the application's `orders` table on the
 * store's own connection (`database`), so that orders and deliveries commit together (another
 * connection in this process would block on the lock). Disposing closes the store and removes
 * the file.
 */
export async function sqliteTransactionStore() {
  const file = await storeFile();
  const store = new SqliteWebhookStore({ filename: file.filename });
  await store.setup();
  const database = store.database;
  database.exec('CREATE TABLE orders (id TEXT PRIMARY KEY)');
  return {
    store,
    database,
    async [Symbol.asyncDispose]() {
      await store.close();
      await file.cleanup();
    },
  };
}

/**
 * A PostgreSQL webhook store on its own pool, set up, with one checked-out `client` of that pool
 * for the application's transaction and the `orders` table it writes. Disposing releases the
 * client, closes the store and ends the pool.
 */
export async function postgresTransactionStore(url: string) {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', () => undefined);
  const store = new PostgresWebhookStore({ pool });
  await store.setup();
  const client = await pool.connect();
  await client.query('CREATE TABLE orders (id TEXT PRIMARY KEY)');
  return {
    store,
    client,
    async [Symbol.asyncDispose]() {
      client.release();
      await store.close();
      await pool.end();
    },
  };
}

/** A dispatcher on `store` polling every 50 ms, closed on dispose. */
export function transactionDispatcher(store: WebhookStore): WebhookDispatcher & AsyncDisposable {
  const dispatcher = new WebhookDispatcher({ store, targetPolicy: localTargets, pollIntervalMs: 50, timeouts: 2000 });
  return Object.assign(dispatcher, { [Symbol.asyncDispose]: () => dispatcher.close() });
}
