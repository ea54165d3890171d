import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer } from '../support/redis-server.js';
import { killChildren, printed, startChild } from './crash-scenario.js';
import { orderEvent } from './events.js';
import { recordProcessFailures } from './process-failures.js';
import { endsWithin, longWaitMs } from './wait-ends.js';

const entry = (index: number) => ({
  event: orderEvent(index, 'wake'),
  topic: undefined,
  attributes: {},
  enqueuedAt: new Date(),
});

async function blockedClients(admin: Redis): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
}

afterEach(killChildren);

describe('Redis wake-ups', () => {
  it('wake a relay when another process enqueues', { timeout: 60_000 }, async () => {
    await using server = await startRedisServer();
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'process' });
    const stop = new AbortController();
    try {
      await store.setup();
      const wait = store.waitForEntries(longWaitMs, stop.signal);
      const producer = startChild('producer.ts', {
        OUTBOX_STORE: JSON.stringify({ kind: 'redis', url: server.url, prefix: 'process' }),
        OUTBOX_COUNT: '1',
      });
      const enqueued = printed(producer, 'enqueued 1');
      expect(await endsWithin(wait, 30_000)).toBe(true);
      await enqueued;
      expect(await store.pendingCount()).toBe(1);
    } finally {
      stop.abort();
      await store.close();
    }
  });

  it('serve many waiting relays of one store with one blocking connection, and wake them all', async () => {
    await using server = await startRedisServer();
    const admin = new Redis(server.url);
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'many' });
    const producer = new RedisOutboxStore({ redis: server.url, prefix: 'many' });
    const stop = new AbortController();
    try {
      await store.setup();
      const waits = Array.from({ length: 20 }, () => store.waitForEntries(longWaitMs, stop.signal));
      await expect.poll(() => blockedClients(admin)).toBe(1);
      expect(await endsWithin(Promise.race(waits), 200)).toBe(false);
      expect(await producer.enqueue(entry(1))).toBe(true);
      expect(
        await endsWithin(
          Promise.all(waits).then(() => undefined),
          10_000,
        ),
      ).toBe(true);
    } finally {
      stop.abort();
      await Promise.all([store.close(), producer.close()]);
      admin.disconnect();
    }
  });

  it('wait out their timeout, never rejecting, while Redis is down, and work again once it is back', async () => {
    using failures = recordProcessFailures();
    await using server = await startRedisServer();
    const store = new RedisOutboxStore({
      redis: server.url,
      prefix: 'down',
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    const stop = new AbortController();
    try {
      await store.setup();
      const waiting = store.waitForEntries(longWaitMs, stop.signal);
      expect(await endsWithin(waiting, 200)).toBe(false);
      await server.kill();
      // The blocking connection is gone: the wait is not ended by that, only by its timeout.
      expect(await endsWithin(waiting, 500)).toBe(false);
      const started = Date.now();
      await expect(store.waitForEntries(400, stop.signal)).resolves.toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      await server.restart();
      await expect.poll(() => store.healthCheck(), { timeout: 10_000 }).toBe(true);
      const producer = new RedisOutboxStore({ redis: server.url, prefix: 'down' });
      try {
        // Wait until the listener is blocked again, then wake it.
        const next = store.waitForEntries(longWaitMs, stop.signal);
        await sleep(300);
        expect(await producer.enqueue(entry(2))).toBe(true);
        expect(await endsWithin(Promise.race([waiting, next]), 10_000)).toBe(true);
      } finally {
        await producer.close();
      }
      expect(failures.recorded).toEqual([]);
    } finally {
      stop.abort();
      await store.close();
    }
  });

  it('end every wait at once when the store closes', async () => {
    await using server = await startRedisServer();
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'closing' });
    await store.setup();
    const wait = store.waitForEntries(longWaitMs, new AbortController().signal);
    expect(await endsWithin(wait, 200)).toBe(false);
    await store.close();
    expect(await endsWithin(wait, 1000)).toBe(true);
    expect(await endsWithin(store.waitForEntries(longWaitMs, new AbortController().signal), 1000)).toBe(true);
  });
});
