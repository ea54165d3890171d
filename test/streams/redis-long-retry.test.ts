import { fixedSchedule } from '@events-protocol/core';
import { EventRegistry } from '@events-protocol/server';
import { consume } from '@events-protocol/server/streams';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startRedisStream } from './redis-stream-harness.js';
import { publishedEvent, waitFor } from './stream-harness.js';

describe('RedisStreamSource retries longer than its lease', () => {
  let server: RedisServer | undefined;
  afterAll(() => server?.stop());

  it('waits the whole delay, and the early reclaims do not spend the attempts', async () => {
    server = await startRedisServer();
    await using stream = await startRedisStream(server.url);
    const startedAt: number[] = [];
    const registry = new EventRegistry().register({
      name: 'stream:later',
      handler: () => {
        startedAt.push(Date.now());
        throw new Error('not yet');
      },
    });
    await stream.publish(publishedEvent('stream:later', {}));
    // The lease is 300 ms: the entry becomes claimable several times before each 1.5 s delay ends.
    const consumer = consume(registry, stream.source({ leaseMs: 300 }), {
      retry: fixedSchedule({ delayMs: 1500, maxAttempts: 3 }),
    });
    await waitFor('the event dead-lettered', async () => (await stream.deadLetters()).length === 1);
    await consumer.close();
    expect(startedAt).toHaveLength(3);
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(1500);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(1500);
    expect(await stream.deadLetters()).toMatchObject([{ reason: 'exhausted', attempts: 3 }]);
    expect(await stream.unsettled()).toBe(0);
  });
});
