import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

describe('the Redis store statistics', () => {
  it('are read in one command however many entries it holds', async () => {
    await using server = await startRedisServer();
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'stats' });
    const admin = new Redis(server.url);
    const monitor = await admin.monitor();
    const sent: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Commands a script runs inside Redis are not round trips.
      if (source !== 'lua') sent.push(args[0]!.toLowerCase());
    });
    try {
      const entries = Array.from({ length: 2000 }, (_, index) => ({
        event: orderEvent(index, 'stats'),
        topic: 'orders',
        attributes: {},
        enqueuedAt: new Date(),
        ...(index % 2 === 0 ? { orderingKey: `key-${index % 10}` } : {}),
      }));
      await store.enqueueBatch(entries);
      await store.claim({ limit: 50, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      await store.stats(new Date()); // loads the script
      const quiet = async (): Promise<void> => {
        const token = `mark-${sent.length}-${Date.now()}`;
        await admin.echo(token);
        while (!sent.includes('echo')) await new Promise((resolve) => setTimeout(resolve, 5));
        sent.length = 0;
      };
      await quiet();
      const stats = await store.stats(new Date());
      await admin.echo('end');
      while (!sent.includes('echo')) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(sent.filter((command) => command !== 'echo')).toEqual(['evalsha']);
      // 1,000 unkeyed and 5 keys' heads claimable; 45 of them claimed by the claim of 50.
      expect(stats).toMatchObject({ pending: 2000, claimed: 50, due: 1000 + 5 - 50, undelivered: 0 });
    } finally {
      monitor.disconnect();
      admin.disconnect();
      await store.close();
    }
  });
});
