import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { RecordingSink } from '@events-protocol/publish';
import { DurableTopicPublisher } from '@events-protocol/topics';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { eventually } from '../support/eventually.js';

// Topic publishing inside the caller's own transaction: the business write and the event commit
// or roll back together, on a real SQLite file and a real PostgreSQL server.

describe('topic publishing in the caller’s SQLite transaction', () => {
  let directory: string;
  beforeAll(async () => (directory = await mkdtemp(join(tmpdir(), 'topics-tx-'))));
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('publishes nothing when the business write rolls back, and delivers once it commits', async () => {
    const database = new Database(join(directory, 'shop.db'));
    database.exec('CREATE TABLE orders (id TEXT PRIMARY KEY)');
    const store = new SqliteOutboxStore({ database });
    const sink = new RecordingSink('orders');
    const publisher = new DurableTopicPublisher({ topics: { orders: sink }, outbox: new Outbox({ store }) });
    const relay = publisher.relay({ pollIntervalMs: 20 });
    relay.start();

    database.exec('BEGIN');
    database.prepare('INSERT INTO orders (id) VALUES (?)').run('o-1');
    const rolledBack = await publisher.publish(
      'orders',
      { name: 'order:placed', payload: { orderId: 'o-1' } },
      {},
      {
        within: { database },
      },
    );
    expect(rolledBack.outcome).toBe('queued');
    database.exec('ROLLBACK');
    expect(await store.pendingCount()).toBe(0);
    expect(await store.getEntry(rolledBack.event.id)).toBeUndefined();

    database.exec('BEGIN');
    database.prepare('INSERT INTO orders (id) VALUES (?)').run('o-2');
    const committed = await publisher.publish(
      'orders',
      { name: 'order:placed', payload: { orderId: 'o-2' } },
      {},
      {
        within: { database },
      },
    );
    const batch = await publisher.publishMany(
      'orders',
      [{ name: 'order:line', payload: { line: 1 } }],
      {},
      {
        within: { database },
      },
    );
    database.exec('COMMIT');
    await eventually(() => sink.events.length === 2);
    expect(sink.events.map((event) => event.id).sort()).toEqual([committed.event.id, batch[0]?.id].sort());
    expect(database.prepare('SELECT id FROM orders').all()).toEqual([{ id: 'o-2' }]);

    await relay.stop();
    await store.close();
    database.close();
  });
});

describe('topic publishing in the caller’s PostgreSQL transaction', () => {
  let postgres: PostgresServer;
  beforeAll(async () => (postgres = await startPostgresServer()));
  afterAll(() => postgres.stop());

  it('publishes nothing when the business write rolls back, and delivers once it commits', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE orders (id text PRIMARY KEY)');
    const store = new PostgresOutboxStore({ pool, table: 'topic_outbox' });
    await store.setup();
    const sink = new RecordingSink('orders');
    const publisher = new DurableTopicPublisher({ topics: { orders: sink }, outbox: new Outbox({ store }) });
    const relay = publisher.relay({ pollIntervalMs: 5000 });
    relay.start();

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO orders (id) VALUES ($1)', ['o-1']);
      const rolledBack = await publisher.publish(
        'orders',
        { name: 'order:placed', payload: { orderId: 'o-1' } },
        {},
        {
          within: { client },
        },
      );
      expect(rolledBack.outcome).toBe('queued');
      await client.query('ROLLBACK');
      expect(await store.getEntry(rolledBack.event.id)).toBeUndefined();

      await client.query('BEGIN');
      await client.query('INSERT INTO orders (id) VALUES ($1)', ['o-2']);
      const committed = await publisher.publish(
        'orders',
        { name: 'order:placed', payload: { orderId: 'o-2' } },
        {},
        {
          within: { client },
        },
      );
      // Not visible to the relay before the commit.
      expect(await store.getEntry(committed.event.id)).toBeUndefined();
      await client.query('COMMIT');
      // The relay sleeps up to 5 s between polls: the commit's notification wakes it.
      await eventually(() => sink.events.length === 1, 4000);
      expect(sink.events[0]?.id).toBe(committed.event.id);
    } finally {
      client.release();
    }
    // The sink holds the event before the relay marks it delivered: wait for the mark.
    await eventually(async () => (await store.pendingCount()) === 0, 4000);
    await relay.stop();
    await store.close();
    await pool.end();
  });
});
