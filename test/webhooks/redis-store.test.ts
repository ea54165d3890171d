import { createPublishedEvent } from '@events-protocol/publish';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeSubscriptionStoreContract, importAlone } from './store-contract.js';

let redis: RedisServer;
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

describeSubscriptionStoreContract('Redis', () => {
  const prefix = `contract-${++prefixes}`;
  return Promise.resolve({
    store: new RedisWebhookStore(redis.url, { prefix }),
    peer: () => Promise.resolve(new RedisWebhookStore(redis.url, { prefix })),
  });
});

const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const at = new Date().toISOString();
const subscription = {
  id: 'sub-1',
  eventType: 'order:placed',
  targetUrl: 'https://hooks.example.com/orders',
  secret,
  active: true,
  retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 3 } },
  createdAt: at,
  updatedAt: at,
};

describe('RedisWebhookStore', () => {
  it('keeps everything under its prefix, deliveries under <prefix>:deliveries', async () => {
    const client = new Redis(redis.url);
    // Tests of this file run one at a time: this one has the server to itself.
    await client.flushall();
    const store = new RedisWebhookStore({ redis: client }, { prefix: 'keys' });
    try {
      await store.setup();
      await store.subscriptions.insertSubscription(subscription);
      const event = createPublishedEvent({ name: 'order:placed', payload: {} });
      await store.deliveries.enqueue({
        id: `sub-1:${event.id}`,
        event,
        topic: undefined,
        attributes: {},
        enqueuedAt: new Date(),
      });
      const keys = (await client.keys('*')).sort();
      expect(keys.every((key) => key.startsWith('keys:'))).toBe(true);
      expect(keys).toEqual(
        expect.arrayContaining([
          'keys:subscription:sub-1',
          'keys:targets',
          'keys:all',
          'keys:type:order:placed',
          'keys:active:order:placed',
        ]),
      );
      expect(keys.some((key) => key.startsWith('keys:deliveries:'))).toBe(true);
      expect(await client.hget('keys:subscription:sub-1', 'eventType')).toBe('order:placed');
    } finally {
      await store.close();
    }
    // A connection passed in stays open: its owner closes it.
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('keeps no trace of a deleted subscription', async () => {
    const client = new Redis(redis.url);
    const store = new RedisWebhookStore({ redis: client }, { prefix: 'deleted' });
    try {
      await store.subscriptions.insertSubscription(subscription);
      await store.subscriptions.replaceSubscription({ ...subscription, eventType: 'order:shipped' });
      expect(await store.subscriptions.deleteSubscription(subscription.id)).toBe(true);
      const keys = await client.keys('deleted:*');
      expect(keys.filter((key) => !key.startsWith('deleted:deliveries:'))).toEqual(['deleted:sequence']);
    } finally {
      await store.close();
      await client.quit();
    }
  });

  it('runs its scripts again after Redis forgot them (SCRIPT FLUSH)', async () => {
    const store = new RedisWebhookStore(redis.url, { prefix: 'flushed' });
    try {
      await store.subscriptions.insertSubscription(subscription);
      await store.redis.script('FLUSH');
      expect(await store.subscriptions.listSubscriptions()).toEqual([subscription]);
    } finally {
      await store.close();
    }
  });

  it('loads ioredis and no other database driver', async () => {
    expect(await importAlone('@events-protocol/webhooks/redis')).toEqual({
      exports: ['RedisSubscriptionStore', 'RedisWebhookStore'],
      drivers: ['ioredis'],
    });
  });
});
