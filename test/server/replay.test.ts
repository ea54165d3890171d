import { EventClient } from '@events-protocol/client';
import { EventBuilder, fixedSchedule } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry, RedisReplayStore } from '@events-protocol/server';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { startRedisServer } from '../support/redis-server.js';

function slowPayments(runs: string[]) {
  return new EventRegistry().register({
    name: 'payment:capture',
    handler: async (event) => {
      runs.push(event.id);
      await new Promise((resolve) => setTimeout(resolve, 250));
      return { captured: true };
    },
  });
}

describe('idempotent replay with client retries', () => {
  it('runs the handler once when the client retries a slow call with the same id', async () => {
    const runs: string[] = [];
    await using server = await listen(createEventServer(new EventProcessor(slowPayments(runs), { replay: {} })));
    const client = new EventClient({
      url: `${server.origin}/events`,
      timeout: 3000,
      timeouts: { connectMs: 1000, responseMs: 100 },
      retry: fixedSchedule({ delayMs: 20, maxAttempts: 5 }),
    });
    const result = await client.sendEvent({ name: 'payment:capture', payload: { cents: 500 } });
    expect(result.kind).toBe('success');
    expect(result.attempts).toBeGreaterThan(1);
    expect(runs).toEqual([result.request.id]);
    await client.close();
  });

  it('shares answers between instances through Redis', async () => {
    await using redisServer = await startRedisServer();
    const redis = new Redis(redisServer.url, { lazyConnect: true });
    await redis.connect();
    try {
      const runs: string[] = [];
      const instances = [1, 2].map(
        () =>
          new EventProcessor(slowPayments(runs), {
            replay: { store: new RedisReplayStore(redis), retentionMs: 60_000 },
          }),
      );
      const event = EventBuilder.request({
        name: 'payment:capture',
        payload: { cents: 500 },
        metadata: { big: 2n ** 64n },
      });
      // Concurrent duplicates on two instances: one runs, the other waits for its answer.
      const [first, second] = await Promise.all(instances.map((processor) => processor.processEvent(event)));
      expect(runs).toEqual([event.id]);
      expect(first).toMatchObject({ name: 'payment:capture:response', payload: { captured: true } });
      expect(second).toMatchObject({
        name: 'payment:capture:response',
        payload: { captured: true },
        metadata: { replayed: true },
      });
      // Later duplicates are replayed from Redis, with their TTL set.
      expect(await instances[1]!.processEvent(event)).toMatchObject({ metadata: { replayed: true } });
      expect(runs).toHaveLength(1);
      const ttl = await redis.pttl(`events:replay:payment:capture\n1\n${event.id}`);
      expect(ttl).toBeGreaterThan(50_000);
    } finally {
      redis.disconnect();
    }
  });
});

describe('idempotent replay under concurrent duplicates over HTTP', () => {
  it('runs the handler once for 50 concurrent duplicates and answers all of them', async () => {
    const runs: string[] = [];
    await using server = await listen(createEventServer(new EventProcessor(slowPayments(runs), { replay: {} })));
    const client = new EventClient({ url: `${server.origin}/events`, connections: 50 });
    const id = 'duplicate-0001';
    const results = await Promise.all(
      Array.from({ length: 50 }, () => client.sendEvent({ name: 'payment:capture', id, payload: { cents: 500 } })),
    );
    expect(runs).toEqual([id]);
    expect(results.every((result) => result.kind === 'success')).toBe(true);
    const replayed = results.filter(
      (result) => result.kind === 'success' && result.event.metadata['replayed'] === true,
    );
    expect(replayed).toHaveLength(49);
    await client.close();
  });
});
