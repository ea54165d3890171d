import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, Settlement } from '@events-protocol/outbox';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

/**
 * The commands the store's clients sent while `action` ran, as MONITOR sees them: commands that
 * scripts ran inside Redis are not round trips and are left out.
 */
async function commandsOf(monitor: MonitorFeed, action: () => Promise<unknown>): Promise<string[]> {
  await monitor.sync();
  monitor.seen.length = 0;
  await action();
  await monitor.sync();
  return monitor.seen.filter((command) => command !== 'echo');
}

interface MonitorFeed {
  seen: string[];
  /** Resolves once MONITOR has shown every command Redis ran before this call. */
  sync: () => Promise<void>;
  stop: () => void;
}

async function startMonitor(url: string): Promise<MonitorFeed> {
  const admin = new Redis(url);
  const monitor = await admin.monitor();
  const marks = new Map<string, () => void>();
  let mark = 0;
  const feed: MonitorFeed = {
    seen: [],
    sync: async () => {
      const token = `mark-${++mark}`;
      const seen = new Promise<void>((resolve) => marks.set(token, resolve));
      await admin.echo(token);
      await seen;
    },
    stop: () => {
      monitor.disconnect();
      admin.disconnect();
    },
  };
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === 'echo') marks.get(args[1] ?? '')?.();
    if (source !== 'lua') feed.seen.push(args[0]!.toLowerCase());
  });
  return feed;
}

const entries = (from: number, count: number): OutboxEntry[] =>
  Array.from({ length: count }, (_, index) => ({
    event: orderEvent(from + index, 'trips'),
    topic: 'orders',
    attributes: {},
    enqueuedAt: new Date(),
  }));

describe('the Redis store', () => {
  it('enqueues a batch, claims a batch and settles a batch in one command each', async () => {
    await using server = await startRedisServer();
    const monitor = await startMonitor(server.url);
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'trips' });
    try {
      await store.setup();
      await store.enqueueBatch(entries(0, 1)); // loads the scripts
      const claim = (limit: number) =>
        store.claim({ limit, leaseMs: 60_000, now: new Date(), owner: 'relay', maxAttempts: 5 });
      const [warm] = await claim(1);
      const now = new Date();
      const attempt = (claimed: { attempt: number }) => ({
        attempt: claimed.attempt,
        at: now.toISOString(),
        durationMs: 1,
        outcome: 'delivered' as const,
      });
      await store.settle([{ claimed: warm!, attempt: attempt(warm!), next: 'delivered' }], now);

      expect(await commandsOf(monitor, () => store.enqueueBatch(entries(1, 100)))).toEqual(['evalsha']);
      let claimed: Awaited<ReturnType<typeof claim>> = [];
      expect(
        await commandsOf(monitor, async () => {
          claimed = await claim(50);
        }),
      ).toEqual(['evalsha']);
      expect(claimed).toHaveLength(50);
      const later = new Date(now.getTime() + 60_000);
      const settlements = claimed.map((entry, index): Settlement => {
        if (index % 3 === 0) return { claimed: entry, attempt: attempt(entry), next: 'delivered' };
        const failedAttempt = { ...attempt(entry), outcome: 'failed' as const, error: { message: 'no' } };
        return index % 3 === 1
          ? { claimed: entry, attempt: failedAttempt, next: 'retry', nextAttemptAt: later }
          : { claimed: entry, attempt: failedAttempt, next: 'undelivered' };
      });
      let flags: boolean[] = [];
      expect(
        await commandsOf(monitor, async () => {
          flags = await store.settle(settlements, now);
        }),
      ).toEqual(['evalsha']);
      expect(flags).toEqual(claimed.map(() => true));
      expect(await store.pendingCount()).toBe(100 - 17 - 16); // 17 delivered, 17 retried, 16 undelivered
      expect((await store.listUndelivered({ limit: 100 })).events).toHaveLength(16);
    } finally {
      await store.close();
      monitor.stop();
    }
  });
});
