import { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { describe, expect, it } from 'vitest';
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
