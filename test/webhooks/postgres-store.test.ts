import { setTimeout as sleep } from 'node:timers/promises';
import { createPublishedEvent } from '@events-protocol/publish';
import { isWebhookError } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { describeSubscriptionStoreContract, importAlone } from './store-contract.js';

let postgres: PostgresServer;
let tables = 0;
beforeAll(async () => {
  postgres = await startPostgresServer();
});
afterAll(async () => {
  await postgres.stop();
});

describeSubscriptionStoreContract('PostgreSQL', () => {
  const options = { subscriptionsTable: `subscriptions_${++tables}`, deliveriesTable: `deliveries_${tables}` };
  return Promise.resolve({
    store: new PostgresWebhookStore(postgres.url, options),
    peer: () => Promise.resolve(new PostgresWebhookStore(postgres.url, options)),
  });
});

describe('PostgresWebhookStore', () => {
  it('creates webhook_subscriptions and webhook_deliveries, naming them once', async () => {
    const store = new PostgresWebhookStore(postgres.url);
    try {
      const created = await store.setup();
      expect(created).toEqual(
        expect.arrayContaining([
          'table webhook_subscriptions',
          'index webhook_subscriptions_target',
          'index webhook_subscriptions_type',
        ]),
      );
      expect(created.some((name) => name.includes('webhook_deliveries'))).toBe(true);
      expect(await store.setup()).toEqual([]);
      const found = await store.pool.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'webhook_%' ORDER BY tablename",
      );
      expect(found.rows.map((row) => row.name)).toEqual([
        'webhook_deliveries',
        'webhook_subscriptions',
        'webhook_subscriptions_health',
      ]);
    } finally {
      await store.close();
    }
  });

  it('sets up from many processes at once without colliding', async () => {
    const options = { subscriptionsTable: 'racing_subscriptions', deliveriesTable: 'racing_deliveries' };
    const stores = Array.from({ length: 5 }, () => new PostgresWebhookStore(postgres.url, options));
    try {
      const created = await Promise.all(stores.map((store) => store.subscriptions.setup()));
      expect(created.flat().filter((name) => name === 'table racing_subscriptions')).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('enqueues a delivery in the caller’s transaction, and leaves a pool passed in open', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined);
    const store = new PostgresWebhookStore(
      { pool },
      { subscriptionsTable: 'tx_subscriptions', deliveriesTable: 'tx_deliveries' },
    );
    try {
      await store.setup();
      const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
      const entry = { id: `s:${event.id}`, event, topic: undefined, attributes: {}, enqueuedAt: new Date() };
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await store.deliveries.enqueue(entry, { client });
        await client.query('ROLLBACK');
        expect(await store.deliveries.pendingCount()).toBe(0);
        await client.query('BEGIN');
        await store.deliveries.enqueue(entry, { client });
        await client.query('COMMIT');
        expect(await store.deliveries.pendingCount()).toBe(1);
      } finally {
        client.release();
      }
    } finally {
      await store.close();
    }
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('survives the server dropping its idle connections, and reports it to the logger', async () => {
    const warnings: object[] = [];
    const drop = (): void => undefined;
    const store = new PostgresWebhookStore(postgres.url, {
      subscriptionsTable: 'dropped_subscriptions',
      deliveriesTable: 'dropped_deliveries',
      logger: { debug: drop, error: drop, warn: (object) => warnings.push(object) },
    });
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await store.setup();
      await store.subscriptions.listSubscriptions();
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'",
      );
      while (warnings.length === 0) await sleep(20);
      expect(await store.subscriptions.listSubscriptions()).toEqual([]);
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('refuses a table name that is not a plain identifier, before connecting', () => {
    let error: unknown;
    try {
      new PostgresWebhookStore(postgres.url, { subscriptionsTable: 'x"; DROP TABLE y; --' });
    } catch (caught) {
      error = caught;
    }
    expect(isWebhookError(error) && error.code).toBe('INVALID_OPTIONS');
  });

  it('loads pg and no other database driver', async () => {
    expect(await importAlone('@events-protocol/webhooks/postgres')).toEqual({
      exports: ['PostgresSubscriptionStore', 'PostgresWebhookStore'],
      drivers: ['pg'],
    });
  });
});
