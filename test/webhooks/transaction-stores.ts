import { WebhookDispatcher, type WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { storeFile } from './harness.js';

/** The target policy of the transaction tests: the receiver listens on 127.0.0.1. */
export const localTargets = { allowPrivateNetworks: true };

/**
 * A webhook store, set up, and the application's own transaction beside it: an `orders` table it
 * writes in the same transaction as the deliveries (`within` is the enqueue option that puts
 * them there). Disposing closes the store and what it was opened on.
 */
export interface TransactionStore<TEnqueueOptions extends object = object> extends AsyncDisposable {
  readonly store: WebhookStore<TEnqueueOptions>;
  readonly within: TEnqueueOptions;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  insertOrder(id: string): Promise<void>;
  orderCount(): Promise<number>;
}

/**
 * SQLite on a fresh file: the application writes on the store's own connection, so that orders
 * and deliveries commit together (another connection in this process would block on the lock).
 */
export async function sqliteTransactionStore(): Promise<TransactionStore> {
  const file = await storeFile();
  const store = new SqliteWebhookStore({ filename: file.filename });
  await store.setup();
  const database = store.database;
  database.exec('CREATE TABLE orders (id TEXT PRIMARY KEY)');
  const run = (sql: string) => {
    database.exec(sql);
    return Promise.resolve();
  };
  return {
    store,
    within: { database },
    begin: () => run('BEGIN IMMEDIATE'),
    commit: () => run('COMMIT'),
    rollback: () => run('ROLLBACK'),
    insertOrder(id) {
      database.prepare('INSERT INTO orders VALUES (?)').run(id);
      return Promise.resolve();
    },
    orderCount: () => Promise.resolve(database.prepare('SELECT count(*) FROM orders').pluck().get() as number),
    async [Symbol.asyncDispose]() {
      await store.close();
      await file.cleanup();
    },
  };
}

/**
 * PostgreSQL on its own pool: the application's transaction runs on one checked-out client of
 * that pool, the relay on the pool's other connections.
 */
export async function postgresTransactionStore(url: string): Promise<TransactionStore> {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', () => undefined);
  const store = new PostgresWebhookStore({ pool });
  await store.setup();
  const client = await pool.connect();
  await client.query('CREATE TABLE orders (id TEXT PRIMARY KEY)');
  const run = async (sql: string) => {
    await client.query(sql);
  };
  return {
    store,
    within: { client },
    begin: () => run('BEGIN'),
    commit: () => run('COMMIT'),
    rollback: () => run('ROLLBACK'),
    insertOrder: async (id) => {
      await client.query('INSERT INTO orders VALUES ($1)', [id]);
    },
    orderCount: async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n,
    async [Symbol.asyncDispose]() {
      client.release();
      await store.close();
      await pool.end();
    },
  };
}

/**
 * SQLite, then PostgreSQL (a real server for the file, on a free port in a temporary directory,
 * started before its tests and stopped after them): each test opens a fresh store. Call at the
 * top of a test file.
 */
export function transactionStores(): [name: string, open: () => Promise<TransactionStore>][] {
  let postgres: PostgresServer | undefined;
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  return [
    ['SQLite', sqliteTransactionStore],
    [
      'PostgreSQL',
      () => {
        if (postgres === undefined) throw new Error('the test PostgreSQL did not start');
        return postgresTransactionStore(postgres.url);
      },
    ],
  ];
}

/** A dispatcher on `store` polling every 50 ms, closed on dispose. */
export function transactionDispatcher(store: WebhookStore): WebhookDispatcher & AsyncDisposable {
  const dispatcher = new WebhookDispatcher({ store, targetPolicy: localTargets, pollIntervalMs: 50, timeouts: 2000 });
  return Object.assign(dispatcher, { [Symbol.asyncDispose]: () => dispatcher.close() });
}
