import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxStore } from '@events-protocol/outbox';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import type { Sink } from '@events-protocol/publish';
import { startRedisServer } from '../support/redis-server.js';
import { kill, killChildren, printed, startChild } from './crash-scenario.js';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';
import { startReceiver } from './receiver.js';

afterEach(killChildren);

/** `XPENDING <stream> relays` summary: entries pending per consumer. */
async function pendingByConsumer(redis: Redis): Promise<Map<string, number>> {
  const reply = (await redis.call('XPENDING', ['two:events', 'relays'])) as [
    number,
    unknown,
    unknown,
    [string, string][] | null,
  ];
  return new Map((reply[3] ?? []).map(([consumer, count]) => [consumer, Number(count)]));
}

describe('two relays sharing a Redis stream', () => {
  it('share the events, and the survivor delivers what the dead one had claimed', { timeout: 30_000 }, async () => {
    await using server = await startRedisServer();
    await using receiver = await startReceiver();
    receiver.delayMs = 20;
    const inspector = new Redis(server.url);
    const stores: OutboxStore[] = [];
    try {
      const producer = new RedisOutboxStore({ redis: server.url, prefix: 'two' });
      stores.push(producer);
      const outbox = new Outbox({ store: producer });
      const count = 400;
      for (let index = 0; index < count; index++) await outbox.enqueue(orderEvent(index, 'two'));

      const env = {
        OUTBOX_STORE: JSON.stringify({ kind: 'redis', url: server.url, prefix: 'two' }),
        OUTBOX_RECEIVER: receiver.url,
      };
      const dying = startChild('relay.ts', env);
      await printed(dying, 'relay ready');

      const surviving = new RedisOutboxStore({ redis: server.url, prefix: 'two' });
      stores.push(surviving);
      const target = httpTestSink(receiver.url);
      let survivorDeliveries = 0;
      const counting: Sink = {
        ...target,
        publish: (event, options) =>
          target.publish(event, options).then(() => {
            survivorDeliveries++;
          }),
      };
      // The same lease as the child relay: Redis measures it against the relay that claims again.
      const relay = new Outbox({ store: surviving }).relay({ sink: counting, leaseMs: 1000, pollIntervalMs: 20 });
      relay.start();

      await expect.poll(() => receiver.received.size, { timeout: 10_000 }).toBeGreaterThan(60);
      await kill(dying, 'SIGKILL');
      const orphaned = [...(await pendingByConsumer(inspector))].filter(([consumer]) => consumer !== relay.owner);
      expect(orphaned.length).toBe(1);
      expect(orphaned[0]![1]).toBeGreaterThan(0);

      await expect.poll(() => receiver.received.size, { timeout: 15_000 }).toBe(count);
      // Every event can have arrived while entries the dead relay delivered but never acknowledged
      // still wait out its lease: the survivor claims them then, sends them again and acknowledges.
      await expect.poll(async () => (await pendingByConsumer(inspector)).size, { timeout: 15_000 }).toBe(0);
      await relay.stop();
      expect(await pendingByConsumer(inspector)).toEqual(new Map());
      expect(await producer.pendingCount()).toBe(0);
      expect(survivorDeliveries).toBeGreaterThan(0);
      expect(receiver.deliveries() - survivorDeliveries).toBeGreaterThan(0);
    } finally {
      inspector.disconnect();
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
