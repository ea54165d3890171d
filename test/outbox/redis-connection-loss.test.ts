import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isOutboxError, Outbox } from '@events-protocol/outbox';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { freePort } from '../support/free-port.js';
import { startRedisServer } from '../support/redis-server.js';
import { describeChaos, runConnectionChaos } from './connection-chaos.js';
import { everyStoreCall } from './every-store-call.js';
import { recordProcessFailures } from './process-failures.js';

describe('Redis connections killed in a loop under a producer and a relay', () => {
  it('loses no event, never crashes, and surfaces every failure as an OutboxError', { timeout: 600_000 }, async () => {
    await using server = await startRedisServer({ durable: true });
    const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined); // the admin connection dies with each restart, and reconnects
    const producerStore = new RedisOutboxStore({ redis: server.url, prefix: 'chaos' });
    const relayStore = new RedisOutboxStore({ redis: server.url, prefix: 'chaos' });
    const count = 10_000;
    let breaks = 0;
    const report = await runConnectionChaos({
      count,
      producer: new Outbox({ store: producerStore }),
      relayStore,
      // Every connection but the admin's is killed (CLIENT KILL); every 25th break restarts Redis.
      breakConnections: async () => {
        if (++breaks % 25 === 0) {
          await server.kill();
          await sleep(300);
          await server.restart();
          return;
        }
        await admin.call('CLIENT', ['KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      },
      breakEveryMs: [50, 200],
      seed: 2,
      deliveryDeadlineMs: 240_000,
    });
    admin.disconnect();
    await Promise.all([producerStore.close(), relayStore.close()]);
    process.stdout.write(describeChaos('redis client kill loop', count, report));

    expect(report.processFailures).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.relayRunning).toBe(true);
    expect(report.breaks).toBeGreaterThan(10);
    expect(report.enqueueErrors.length + report.relayErrors.length).toBeGreaterThan(0);
    for (const error of [...report.enqueueErrors, ...report.relayErrors]) {
      expect({ outbox: isOutboxError(error), retryable: (error as { retryable?: unknown }).retryable }).toEqual({
        outbox: true,
        retryable: true,
      });
    }
  });
});

describe('a Redis server that cannot be reached', () => {
  it('fails every store call with STORE_UNAVAILABLE and the driver error as cause', async () => {
    using failures = recordProcessFailures();
    const port = await freePort();
    const store = new RedisOutboxStore({ redis: `redis://127.0.0.1:${port}`, prefix: 'down' });
    const calls = everyStoreCall(store, '0-1|relay');
    // All at once: each waits through the client's reconnect attempts before it fails.
    const outcomes = await Promise.all(
      Object.entries(calls).map(async ([name, call]) => ({
        name,
        failure: await call().then(
          () => new Error(`${name} resolved`),
          (rejected: unknown) => rejected,
        ),
      })),
    );
    for (const { name, failure } of outcomes) {
      expect({ name, outbox: isOutboxError(failure) }).toEqual({ name, outbox: true });
      expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
      expect((failure as Error).cause).toBeInstanceOf(Error);
    }
    expect(await store.healthCheck()).toBe(false);
    expect(failures.recorded).toEqual([]);
    await store.close();
  });
});
