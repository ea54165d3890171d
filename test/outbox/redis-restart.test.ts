import { Outbox, type OutboxLogger } from '@events-protocol/outbox';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import type { PublishedEvent, Sink } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis killed and restarted under a running publisher and relay', () => {
  it('loses no event, surfaces the errors and reconnects by itself', { timeout: 60_000 }, async () => {
    await using server = await startRedisServer({ durable: true });
    const delivered = new Set<string>();
    const sink: Sink = {
      name: 'counting',
      publish: (event: PublishedEvent) => {
        delivered.add(event.id);
        return Promise.resolve();
      },
      healthCheck: () => Promise.resolve(true),
    };
    const storeErrors: unknown[] = [];
    const logger: OutboxLogger = {
      debug: () => undefined,
      warn: () => undefined,
      error: (object) => storeErrors.push(object),
    };
    // Each side has its own connection, as a publishing service and a relay process would.
    const publisherStore = new RedisOutboxStore({
      redis: server.url,
      prefix: 'restart',
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    const relayStore = new RedisOutboxStore({
      redis: server.url,
      prefix: 'restart',
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    const outbox = new Outbox({ store: publisherStore });
    const relay = new Outbox({ store: relayStore }).relay({
      sink,
      logger,
      pollIntervalMs: 20,
      // Claims lost with the connection come back after the lease: short here, 30 s by default.
      leaseMs: 2000,
      publishTimeoutMs: 1000,
      schedule: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 100 } },
    });
    relay.start();

    // The publisher: 300 events, one every 5 ms; an enqueue that fails is kept and tried again.
    const count = 300;
    let enqueueFailures = 0;
    const publishing = (async () => {
      for (let index = 0; index < count; index++) {
        for (;;) {
          try {
            await outbox.enqueue(orderEvent(index, 'restart'));
            break;
          } catch {
            enqueueFailures++;
            await pause(50);
          }
        }
        await pause(5);
      }
    })();

    await pause(400);
    const before = delivered.size;
    await server.kill();
    await pause(700);
    await server.restart();
    await publishing;
    for (let waited = 0; delivered.size < count && waited < 30_000; waited += 50) await pause(50);
    await relay.stop();
    await Promise.all([publisherStore.close(), relayStore.close()]);

    process.stdout.write(
      `redis restart: ${count} events published, ${delivered.size} delivered (${before} before the kill), ` +
        `${enqueueFailures} enqueue failures retried by the publisher, ${storeErrors.length} store errors logged by the relay\n`,
    );
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(count);
    expect(enqueueFailures + storeErrors.length).toBeGreaterThan(0);
    expect([...delivered].sort()).toEqual(Array.from({ length: count }, (_, index) => `restart-${index}`).sort());
  });
});
