import { isOutboxError, Outbox, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { HttpSink, isPublishError, publishEvent, TopicPublisher, type PublishError } from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { DurableTopicPublisher } from '@events-protocol/topics';
import { readJson } from '@events-protocol/core';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { memoryStore, receiver, subscriptionTo, webhooks } from '../webhooks/harness.js';
import { orderPlaced } from './receivers.js';

// Typed publishing on real parts: a bad payload is INVALID_EVENT, with the issues, and nothing is
// written to the Redis stream, sent over HTTP, or stored in any outbox.

let redisServer: RedisServer;
let postgres: PostgresServer;
let redis: Redis;
beforeAll(async () => {
  [redisServer, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
  redis = new Redis(redisServer.url);
});
afterAll(async () => {
  redis.disconnect();
  await Promise.all([redisServer.stop(), postgres.stop()]);
});

const bad = { orderId: 'o-1', cents: -1 };

function invalidEvent(error: unknown): PublishError {
  if (!isPublishError(error)) throw new Error(`expected a PublishError, got ${String(error)}`, { cause: error });
  expect(error.code).toBe('INVALID_EVENT');
  expect(error.issues).toEqual([expect.objectContaining({ path: ['cents'] })]);
  return error;
}

describe('typed publish to real sinks', () => {
  it('publishes a contract event to a Redis stream, and writes nothing for a bad payload', async () => {
    const sink = new RedisStreamSink({ redis, stream: () => 'typed-orders' });
    const { event } = await publishEvent(sink, orderPlaced, { orderId: 'o-1', cents: 5 }, { topic: 'orders' });
    await publishEvent(sink, orderPlaced, bad, { topic: 'orders' }).then(() => expect.fail('published'), invalidEvent);
    const topics = new TopicPublisher({ orders: sink });
    await topics.publishEvent('orders', orderPlaced, bad).then(() => expect.fail('published'), invalidEvent);
    const changed = orderPlaced.create({ orderId: 'o-2', cents: 1 });
    (changed.payload as { cents: number }).cents = -3;
    await topics.publish('orders', changed).then(() => expect.fail('published'), isPublishError);
    const entries = await redis.xrange('typed-orders', '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0]?.[1] ?? [];
    expect(readJson(fields[fields.indexOf('event') + 1] ?? '')).toEqual({ ...event });
  });

  it('posts a contract event over HTTP, and sends nothing for a bad payload', async () => {
    const bodies: string[] = [];
    await using server = await listen((request, response) => {
      void readBody(request).then((body) => {
        bodies.push(body);
        response.writeHead(204).end();
      });
    });
    const sink = new HttpSink({ url: `${server.origin}/in` });
    await publishEvent(sink, orderPlaced, { orderId: 'o-9', cents: 3 });
    await publishEvent(sink, orderPlaced, bad).then(() => expect.fail('published'), invalidEvent);
    await sink.close();
    expect(bodies.map((body) => (readJson(body) as { payload: unknown }).payload)).toEqual([
      { orderId: 'o-9', cents: 3 },
    ]);
  });
});

const outboxStores: [string, () => Promise<{ store: OutboxStore; cleanup: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'typed-outbox-'));
      const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
      return { store, cleanup: () => rm(directory, { recursive: true, force: true }) };
    },
  ],
  [
    'PostgreSQL',
    async () => ({
      store: new PostgresOutboxStore({ pool: postgres.url, table: `typed_${Date.now()}` }),
      cleanup: async () => {},
    }),
  ],
  [
    'Redis',
    async () => ({
      store: new RedisOutboxStore({ redis: redisServer.url, prefix: `typed-${Date.now()}` }),
      cleanup: async () => {},
    }),
  ],
];

describe.each(outboxStores)('a bad payload stores nothing in the %s outbox', (_name, open) => {
  it('enqueueEvent, enqueue of a changed contract event, and a durable topic publish refuse it', async () => {
    const { store, cleanup } = await open();
    const outbox = new Outbox({ store });
    await outbox.setup();
    try {
      const refused = await outbox.enqueueEvent(orderPlaced, bad, { topic: 'orders' }).catch((error: unknown) => error);
      expect(isOutboxError(refused) && refused.code).toBe('INVALID_EVENT');
      invalidEvent((refused as Error).cause);
      const changed = orderPlaced.create({ orderId: 'o-2', cents: 1 });
      (changed.payload as { cents: number }).cents = -3;
      await expect(outbox.enqueue(changed)).rejects.toMatchObject({ code: 'INVALID_EVENT' });
      await expect(
        outbox.enqueueMany([orderPlaced.create({ orderId: 'o-3', cents: 1 }), changed]),
      ).rejects.toMatchObject({
        code: 'INVALID_EVENT',
      });
      const failing = new HttpSink({ url: 'http://127.0.0.1:9/unreachable' });
      const durable = new DurableTopicPublisher({ topics: { orders: failing }, outbox });
      await durable.publishEvent('orders', orderPlaced, bad).then(() => expect.fail('published'), invalidEvent);
      await durable.publish('orders', changed).then(() => expect.fail('published'), isPublishError);
      await failing.close();
      expect(await outbox.pendingCount()).toBe(0);
      expect((await outbox.listUndelivered()).events).toEqual([]);
      const { stored } = await outbox.enqueueEvent(orderPlaced, { orderId: 'o-4', cents: 2 }, { topic: 'orders' });
      expect(stored).toBe(true);
      expect(await outbox.pendingCount()).toBe(1);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});

describe('typed webhook deliveries', () => {
  it('deliverEvent(contract, payload) stores nothing for a bad payload', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks({ open: memoryStore });
    await hooks.subscriptions.create(subscriptionTo(url));
    await hooks.dispatcher.deliverEvent(orderPlaced, bad).then(() => expect.fail('stored'), invalidEvent);
    const changed = orderPlaced.create({ orderId: 'o-2', cents: 1 });
    (changed.payload as { cents: number }).cents = -3;
    const batch = await hooks.dispatcher
      .deliverEvents([orderPlaced.create({ orderId: 'o-1', cents: 1 }), changed])
      .catch((error: unknown) => error);
    expect(isPublishError(batch) && batch.code).toBe('INVALID_EVENT');
    expect(isPublishError(batch) && [batch.message.startsWith('event 1 of the batch'), batch.issues.length]).toEqual([
      true,
      1,
    ]);
    expect(await hooks.dispatcher.outbox.pendingCount()).toBe(0);
    expect((await hooks.dispatcher.listDeliveries()).deliveries).toEqual([]);
    expect(received).toEqual([]);
  });
});
