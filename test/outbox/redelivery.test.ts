import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throughQueue, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';
import { startReceiver } from './receiver.js';

let directory: string;
let redis: RedisServer;
let postgres: PostgresServer;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-redelivery-'));
  [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), postgres.stop()]);
  await rm(directory, { recursive: true, force: true });
});

const stores: [string, () => OutboxStore][] = [
  ['SQLite', () => new SqliteOutboxStore({ filename: join(directory, 'outbox.db') })],
  ['Redis', () => new RedisOutboxStore({ redis: redis.url, prefix: 'redelivery' })],
  ['PostgreSQL', () => new PostgresOutboxStore({ pool: postgres.url })],
];

describe.each(stores)('redelivery through a %s outbox', (_name, open) => {
  it('fills the undelivered store while the target is down and empties it when it is back', async () => {
    await using receiver = await startReceiver();
    await receiver.down();
    const store = open();
    const sink = throughQueue(httpTestSink(receiver.url), store, {
      schedule: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 3 } },
      pollIntervalMs: 10,
    });
    try {
      for (let index = 0; index < 20; index++) {
        await sink.publish(orderEvent(index), { topic: index < 15 ? 'orders' : 'refunds' });
      }
      await expect.poll(async () => (await store.listUndelivered()).events.length, { timeout: 5000 }).toBe(20);
      expect(await store.pendingCount()).toBe(0);
      const [first] = (await store.listUndelivered({ limit: 1 })).events;
      expect(first).toMatchObject({ id: 'run-0', topic: 'orders', attempts: 3 });
      expect(first?.history.map((record) => [record.attempt, record.outcome, record.error?.code])).toEqual([
        [1, 'failed', 'ECONNREFUSED'],
        [2, 'failed', 'ECONNREFUSED'],
        [3, 'failed', 'ECONNREFUSED'],
      ]);
      for (const record of first?.history ?? []) expect(record.durationMs).toBeGreaterThanOrEqual(0);

      await receiver.up();
      expect(await sink.outbox.redeliver({ ids: ['run-15'] })).toBe(1);
      await expect.poll(() => receiver.received.has('run-15'), { timeout: 5000 }).toBe(true);
      expect(await sink.outbox.redeliver({ topic: 'orders' })).toBe(15);
      expect(await sink.outbox.redeliver({})).toBe(4);
      await expect.poll(() => receiver.received.size, { timeout: 5000 }).toBe(20);
      expect((await store.listUndelivered()).events).toEqual([]);
      await expect.poll(() => store.pendingCount(), { timeout: 5000 }).toBe(0);
      const delivered = await sink.outbox.getEntry('run-0');
      // Redelivered with fresh attempts: the first of them delivered it, after the earlier three.
      expect(delivered).toMatchObject({ state: 'delivered', attempts: 1 });
      expect(delivered?.history.map((record) => [record.attempt, record.outcome])).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'failed'],
        [1, 'delivered'],
      ]);
    } finally {
      await sink.close();
      await store.close();
    }
  });
});
