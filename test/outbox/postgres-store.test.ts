import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxStore } from '@events-protocol/outbox';
import { Outbox } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { orderEvent } from './events.js';
import { describeStoreContract } from './store-contract.js';
import { endsWithin } from './wait-ends.js';

let postgres: PostgresServer;
let tables = 0;
const tableOf = new WeakMap<OutboxStore, string>();
beforeAll(async () => {
  postgres = await startPostgresServer();
});
afterAll(async () => {
  await postgres.stop();
});

function openOn(table: string): PostgresOutboxStore {
  const store = new PostgresOutboxStore({ pool: postgres.url, table });
  tableOf.set(store, table);
  return store;
}

describeStoreContract('PostgreSQL', () => Promise.resolve(openOn(`contract_${++tables}`)), {
  openBeside: (store) => Promise.resolve(openOn(tableOf.get(store)!)),
  crossConnectionWakeUps: true,
});

const claimAll = (store: PostgresOutboxStore) =>
  store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });

describe('the transactional outbox on PostgreSQL', () => {
  it('stores the event only when the caller’s transaction commits, and wakes a relay only then', async () => {
    const store = openOn('orders_outbox');
    const relayStore = openOn('orders_outbox');
    const outbox = new Outbox({ store });
    await store.setup();
    const client = await store.pool.connect();
    const stop = new AbortController();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY)');

      const waitDuringRollback = relayStore.waitForEntries(60_000, stop.signal);
      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES ('rolled-back')");
      expect(await outbox.enqueue(orderEvent(1), { topic: 'orders', client })).toBe(true);
      await client.query('ROLLBACK');
      expect(await endsWithin(waitDuringRollback, 500)).toBe(false);
      expect(await outbox.pendingCount()).toBe(0);
      expect(await claimAll(store)).toEqual([]);

      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES ('committed')");
      expect(await outbox.enqueue(orderEvent(2), { topic: 'orders', client })).toBe(true);
      expect(await outbox.pendingCount()).toBe(0); // not visible before COMMIT
      // The relay is still waiting for the first time: nothing committed yet.
      expect(await endsWithin(waitDuringRollback, 300)).toBe(false);
      await client.query('COMMIT');
      expect(await endsWithin(waitDuringRollback, 10_000)).toBe(true);
      const claimed = await claimAll(relayStore);
      expect(claimed.map((entry) => entry.event)).toEqual([orderEvent(2)]);
    } finally {
      stop.abort();
      client.release();
      await Promise.all([store.close(), relayStore.close()]);
    }
  });

  it('stores a batch in the caller’s transaction all or nothing', async () => {
    const store = openOn('batch_outbox');
    const client = await store.pool.connect();
    const entries = [1, 2, 3].map((index) => ({
      event: orderEvent(index),
      topic: 'orders',
      attributes: {},
      enqueuedAt: new Date(),
    }));
    try {
      await store.setup();
      await client.query('BEGIN');
      expect(await store.enqueueBatch(entries, { client })).toEqual([true, true, true]);
      await client.query('ROLLBACK');
      expect(await store.pendingCount()).toBe(0);
      await client.query('BEGIN');
      expect(await store.enqueueBatch(entries, { client })).toEqual([true, true, true]);
      await client.query('COMMIT');
      expect((await claimAll(store)).map((entry) => entry.id)).toEqual(['run-1', 'run-2', 'run-3']);
    } finally {
      client.release();
      await store.close();
    }
  });

  it('plans its enqueue once per connection as a named statement, unless told not to', async () => {
    const named = new PostgresOutboxStore({ pool: postgres.url, table: 'prepared_outbox' });
    const unnamed = new PostgresOutboxStore({ pool: postgres.url, table: 'prepared_outbox', prepareStatements: false });
    const client = await named.pool.connect();
    const prepared = async () =>
      (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map(
        (row) => row.name,
      );
    try {
      const entry = (index: number) => ({
        event: orderEvent(index),
        topic: undefined,
        attributes: {},
        enqueuedAt: new Date(),
      });
      expect(await unnamed.enqueue(entry(1), { client })).toBe(true);
      expect(await prepared()).toEqual([]);
      expect(await named.enqueue(entry(2), { client })).toBe(true);
      expect(await named.enqueue(entry(3), { client })).toBe(true);
      expect(await prepared()).toEqual(['prepared_outbox:insert']);
      // Both kinds claim and settle alike.
      const claimed = await unnamed.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(claimed.map((each) => each.id)).toEqual(['run-1', 'run-2', 'run-3']);
      const now = new Date();
      const attempt = { attempt: 1, at: now.toISOString(), durationMs: 1, outcome: 'delivered' } as const;
      expect(await named.settle([{ claimed: claimed[0]!, attempt, next: 'delivered' }], now)).toEqual([true]);
      expect(await unnamed.settle([{ claimed: claimed[1]!, attempt, next: 'delivered' }], now)).toEqual([true]);
      expect(await named.pendingCount()).toBe(1);
    } finally {
      client.release();
      await Promise.all([named.close(), unnamed.close()]);
    }
  });

  it('lets relays claim concurrently without sharing an event (SKIP LOCKED)', async () => {
    const store = openOn('concurrent_outbox');
    try {
      const entries = Array.from({ length: 200 }, (_, index) => ({
        event: orderEvent(index),
        topic: undefined,
        attributes: {},
        enqueuedAt: new Date(),
      }));
      expect((await store.enqueueBatch(entries)).every(Boolean)).toBe(true);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, relay) =>
          store.claim({ limit: 40, leaseMs: 60_000, now: new Date(), owner: `relay-${relay}` }),
        ),
      );
      const ids = claims.flat().map((claimed) => claimed.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(200);
    } finally {
      await store.close();
    }
  });
});
