import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../../../../test/support/postgres-server.js';
import { WebhookSubscriptions } from '../webhook-subscriptions.js';
import { PostgresEndpointHealth } from './postgres-subscription-health.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';

// PostgreSQL reads `synchronous_commit` when a transaction commits: what the health write leaves
// it at inside a transaction is what its commit does. The write runs here inside BEGIN … ROLLBACK
// on a real, durable server, and the setting is read before the ROLLBACK.

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgresServer({ durable: true });
});
afterAll(async () => {
  await postgres.stop();
});

describe('the endpoint health of the PostgreSQL store', () => {
  it('writes without waiting for the WAL flush, and the write counts', async () => {
    const table = 'health_durability_subscriptions';
    const store = new PostgresWebhookStore(postgres.url, {
      subscriptionsTable: table,
      deliveriesTable: 'health_durability_deliveries',
    });
    await store.setup();
    const subscriptions = new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } });
    const { id } = await subscriptions.create({ eventType: 'order:placed', targetUrl: 'http://127.0.0.1:9/hooks' });
    const client = await store.pool.connect();
    try {
      // The client in a transaction stands in for the pool: the write runs inside that transaction.
      const health = new PostgresEndpointHealth(client as unknown as Pool, table);
      await client.query('BEGIN');
      const written = await health.record(id, { delivered: false, at: new Date(1_000) });
      const { rows } = await client.query<{ setting: string }>(
        "SELECT current_setting('synchronous_commit') AS setting",
      );
      await client.query('ROLLBACK');
      expect(rows[0]?.setting).toBe('off');
      expect(written).toMatchObject({ subscriptionId: id, consecutiveFailures: 1, failed: 1, delivered: 0 });

      // Through the store's pool, runs of deliveries and failures add up.
      await store.subscriptions.recordAttemptOutcome(id, { delivered: true, at: new Date(2_000), count: 3 });
      const after = await store.subscriptions.recordAttemptOutcome(id, { delivered: false, at: new Date(3_000) });
      expect(after).toMatchObject({ consecutiveFailures: 1, delivered: 3, failed: 1 });
    } finally {
      client.release();
      await store.close();
    }
  });
});
