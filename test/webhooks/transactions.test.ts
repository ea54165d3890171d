import { WebhookSubscriptions } from '@events-protocol/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { orderPlaced, receiver, settled, subscriptionTo } from './harness.js';
import {
  localTargets,
  postgresTransactionStore,
  sqliteTransactionStore,
  transactionDispatcher,
} from './transaction-stores.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deliverEvent in the caller’s SQLite transaction', () => {
  it('sends nothing and stores nothing when the transaction rolls back; delivers once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using sqlite = await sqliteTransactionStore();
    const { store, database: app } = sqlite;
    await new WebhookSubscriptions(store, { targetPolicy: localTargets }).create(subscriptionTo(url));
    await using dispatcher = transactionDispatcher(store);

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
    await using postgresStore = await postgresTransactionStore(postgres.url);
    const { store, client } = postgresStore;
    await new WebhookSubscriptions(store, { targetPolicy: localTargets }).create(subscriptionTo(url));
    await using dispatcher = transactionDispatcher(store);

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
  });
});
