import { webhookDeliveryId, WebhookSubscriptions } from '@events-protocol/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { eventually, orderPlaced, receiver, subscriptionTo } from './harness.js';
import {
  localTargets,
  postgresTransactionStore,
  sqliteTransactionStore,
  transactionDispatcher,
} from './transaction-stores.js';

// A batch inside the caller's transaction: a ROLLBACK leaves nothing of any event of it, even one
// past 1,000 deliveries (stored in several statements), and a COMMIT delivers all of it.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** 600 events to two subscriptions: 1,200 deliveries, more than one statement holds. */
const burst = (label: string) => Array.from({ length: 600 }, (_, index) => orderPlaced(`${label}-${index}`));

describe('deliverEvents in the caller’s SQLite transaction', () => {
  it('stores nothing of any event when the transaction rolls back; delivers every one once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using sqlite = await sqliteTransactionStore();
    const { store, database: app } = sqlite;
    const subscriptions = new WebhookSubscriptions(store, { targetPolicy: localTargets });
    const first = await subscriptions.create(subscriptionTo(`${url}/1`));
    await subscriptions.create(subscriptionTo(`${url}/2`));
    await using dispatcher = transactionDispatcher(store);

    const rolledBack = burst('rolled-back');
    app.exec('BEGIN IMMEDIATE');
    app.prepare('INSERT INTO orders VALUES (?)').run('o-rolled-back');
    const statuses = await dispatcher.deliverEvents(rolledBack, { database: app });
    expect(statuses.flat().every((status) => status.state === 'pending')).toBe(true);
    expect(statuses.flat()).toHaveLength(1200);
    await pause(300);
    app.exec('ROLLBACK');
    await pause(300);
    expect(received).toHaveLength(0);
    expect(await dispatcher.outbox.pendingCount()).toBe(0);
    for (const event of [rolledBack[0]!, rolledBack[599]!]) {
      expect(await dispatcher.getDelivery(webhookDeliveryId(first.id, event.id))).toBeUndefined();
    }

    const committed = [orderPlaced('c-1'), orderPlaced('c-2'), orderPlaced('c-3')];
    app.exec('BEGIN IMMEDIATE');
    await dispatcher.deliverEvents(committed, { database: app });
    app.exec('COMMIT');
    await eventually(() => received.length >= 6);
    await eventually(async () => (await dispatcher.outbox.pendingCount()) === 0);
    expect(received.map((request) => request.headers['webhook-id']).sort()).toEqual(
      committed.flatMap((event) => [event.id, event.id]).sort(),
    );
  });
});

describe('deliverEvents in the caller’s PostgreSQL transaction', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('stores nothing of any event when the transaction rolls back; delivers every one once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using postgresStore = await postgresTransactionStore(postgres.url);
    const { store, client } = postgresStore;
    const subscriptions = new WebhookSubscriptions(store, { targetPolicy: localTargets });
    const first = await subscriptions.create(subscriptionTo(`${url}/1`));
    await subscriptions.create(subscriptionTo(`${url}/2`));
    await using dispatcher = transactionDispatcher(store);

    const rolledBack = burst('rolled-back');
    await client.query('BEGIN');
    await client.query('INSERT INTO orders VALUES ($1)', ['o-rolled-back']);
    const statuses = await dispatcher.deliverEvents(rolledBack, { client });
    expect(statuses.flat().every((status) => status.state === 'pending')).toBe(true);
    expect(statuses.flat()).toHaveLength(1200);
    // The relay runs meanwhile, on its own connections: it must not see what is not committed.
    await pause(300);
    await client.query('ROLLBACK');
    await pause(300);
    expect(received).toHaveLength(0);
    expect(await dispatcher.outbox.pendingCount()).toBe(0);
    for (const event of [rolledBack[0]!, rolledBack[599]!]) {
      expect(await dispatcher.getDelivery(webhookDeliveryId(first.id, event.id))).toBeUndefined();
    }
    expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows[0]).toEqual({ n: 0 });

    const committed = [orderPlaced('c-1'), orderPlaced('c-2'), orderPlaced('c-3')];
    await client.query('BEGIN');
    await dispatcher.deliverEvents(committed, { client });
    await client.query('COMMIT');
    await eventually(() => received.length >= 6);
    await eventually(async () => (await dispatcher.outbox.pendingCount()) === 0);
    expect(received.map((request) => request.headers['webhook-id']).sort()).toEqual(
      committed.flatMap((event) => [event.id, event.id]).sort(),
    );
  });
});
