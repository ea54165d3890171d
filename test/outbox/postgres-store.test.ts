import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox, PostgresOutboxStore } from '@events-protocol/outbox';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { orderEvent } from './events.js';
import { describeStoreContract } from './store-contract.js';

let postgres: PostgresServer;
let tables = 0;
beforeAll(async () => {
  postgres = await startPostgresServer();
});
afterAll(async () => {
  await postgres.stop();
});

describeStoreContract('PostgreSQL', () =>
  Promise.resolve(new PostgresOutboxStore({ pool: postgres.url, table: `contract_${++tables}` })),
);

describe('the transactional outbox on PostgreSQL', () => {
  it('stores the event only when the caller’s transaction commits', async () => {
    const store = new PostgresOutboxStore({ pool: postgres.url, table: 'orders_outbox' });
    const outbox = new Outbox({ store });
    const client = await store.pool.connect();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY)');

      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES ('rolled-back')");
      await outbox.enqueue(orderEvent(1), { topic: 'orders', client });
      await client.query('ROLLBACK');
      expect(await outbox.pendingCount()).toBe(0);
      expect(await store.claim({ limit: 10, leaseMs: 1000, now: new Date(), owner: 'relay' })).toEqual([]);

      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES ('committed')");
      await outbox.enqueue(orderEvent(2), { topic: 'orders', client });
      expect(await outbox.pendingCount()).toBe(0); // not visible before COMMIT
      await client.query('COMMIT');
      const claimed = await store.claim({ limit: 10, leaseMs: 1000, now: new Date(), owner: 'relay' });
      expect(claimed.map((event) => event.event)).toEqual([orderEvent(2)]);
    } finally {
      client.release();
      await store.close();
    }
  });

  it('lets relays claim concurrently without sharing an event (SKIP LOCKED)', async () => {
    const store = new PostgresOutboxStore({ pool: postgres.url, table: 'concurrent_outbox' });
    try {
      for (let index = 0; index < 200; index++) {
        await store.enqueue({ event: orderEvent(index), topic: undefined, attributes: {}, enqueuedAt: new Date() });
      }
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, relay) =>
          store.claim({ limit: 40, leaseMs: 60_000, now: new Date(), owner: `relay-${relay}` }),
        ),
      );
      const ids = claims.flat().map((claimed) => claimed.event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(200);
    } finally {
      await store.close();
    }
  });
});
