import { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { orderPlaced, receiver, settled, storeFile, subscriptionTo } from './harness.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deliverEvent in the caller’s SQLite transaction', () => {
  it('sends nothing and stores nothing when the transaction rolls back; delivers once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const file = await storeFile();
    const store = new SqliteWebhookStore({ filename: file.filename });
    try {
      await store.setup();
      // The application writes its orders on the store's connection, so that they and the
      // deliveries commit together (another connection in this process would block it on the lock).
      const app = store.database;
      app.exec('CREATE TABLE orders (id TEXT PRIMARY KEY)');
      await new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } }).create(
        subscriptionTo(url),
      );
      const dispatcher = new WebhookDispatcher({
        store,
        targetPolicy: { allowPrivateNetworks: true },
        pollIntervalMs: 50,
        timeouts: 2000,
      });
      try {
        const rolledBack = orderPlaced('o-rolled-back');
        app.exec('BEGIN IMMEDIATE');
        app.prepare('INSERT INTO orders VALUES (?)').run('o-rolled-back');
        const [status] = await dispatcher.deliverEvent(rolledBack, { database: app });
        expect(status?.state).toBe('pending');
        // The relay runs meanwhile; it must not see (let alone send) what is not committed.
        await pause(300);
        app.exec('ROLLBACK');
        await pause(300);
        expect(received).toHaveLength(0);
        expect(await dispatcher.getDelivery(status?.deliveryId ?? '')).toBeUndefined();
        expect(app.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);

        const committed = orderPlaced('o-committed');
        app.exec('BEGIN IMMEDIATE');
        app.prepare('INSERT INTO orders VALUES (?)').run('o-committed');
        const [kept] = await dispatcher.deliverEvent(committed, { database: app });
        app.exec('COMMIT');
        await settled(dispatcher, kept?.deliveryId, { state: 'delivered' });
        expect(received.map((request) => request.headers['webhook-id'])).toEqual([committed.id]);
      } finally {
        await dispatcher.close();
      }
    } finally {
      await store.close();
      await file.cleanup();
    }
  });
});

describe('deliverEvent in the caller’s PostgreSQL transaction', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('sends nothing and stores nothing when the transaction rolls back; delivers once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined);
    const store = new PostgresWebhookStore({ pool });
    await store.setup();
    const client = await pool.connect();
    try {
      await client.query('CREATE TABLE orders (id TEXT PRIMARY KEY)');
      await new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } }).create(
        subscriptionTo(url),
      );
      const dispatcher = new WebhookDispatcher({
        store,
        targetPolicy: { allowPrivateNetworks: true },
        pollIntervalMs: 50,
        timeouts: 2000,
      });
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO orders VALUES ($1)', ['o-rolled-back']);
        const [status] = await dispatcher.deliverEvent(orderPlaced('o-rolled-back'), { client });
        expect(status?.state).toBe('pending');
        // The relay runs meanwhile, on its own connections: it must not see what is not committed.
        await pause(300);
        await client.query('ROLLBACK');
        await pause(300);
        expect(received).toHaveLength(0);
        expect(await dispatcher.getDelivery(status?.deliveryId ?? '')).toBeUndefined();
        expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows[0]).toEqual({ n: 0 });

        const committed = orderPlaced('o-committed');
        await client.query('BEGIN');
        await client.query('INSERT INTO orders VALUES ($1)', ['o-committed']);
        const [kept] = await dispatcher.deliverEvent(committed, { client });
        await client.query('COMMIT');
        await settled(dispatcher, kept?.deliveryId, { state: 'delivered' });
        expect(received.map((request) => request.headers['webhook-id'])).toEqual([committed.id]);
      } finally {
        await dispatcher.close();
      }
    } finally {
      client.release();
      await store.close();
      await pool.end();
    }
  });
});
