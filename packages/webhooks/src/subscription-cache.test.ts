import { describe, expect, it } from 'vitest';
import type { Subscription } from './subscription.js';
import { SubscriptionCache } from './subscription-cache.js';
import { SubscriptionChanges, subscriptionChangesOf } from './subscription-changes.js';
import type { SubscriptionStore } from './webhook-store.js';

/** Just enough of a store to count reads: the cache calls nothing else. */
function countingStore(
  read: (id: string) => Promise<Subscription | undefined>,
  active: (eventType: string) => Promise<Subscription[]> = () => Promise.resolve([]),
) {
  let reads = 0;
  let lookups = 0;
  const store = {
    getSubscription: (id: string) => {
      reads++;
      return read(id);
    },
    activeSubscriptionsFor: (eventType: string) => {
      lookups++;
      return active(eventType);
    },
  } as unknown as SubscriptionStore;
  return { store, reads: () => reads, lookups: () => lookups };
}

const subscription = (secret: string) => ({ id: 's', secret }) as unknown as Subscription;

describe('SubscriptionCache', () => {
  it('reads a subscription once within its window and again after it, so a new secret is used within it', async () => {
    let clock = 0;
    let secret = 'old';
    const { store, reads } = countingStore(() => Promise.resolve(subscription(secret)));
    const cache = new SubscriptionCache(store, { now: () => clock });
    expect((await cache.get('s'))?.secret).toBe('old');
    secret = 'new';
    clock = 999;
    expect((await cache.get('s'))?.secret).toBe('old');
    expect(reads()).toBe(1);
    clock = 1000;
    expect((await cache.get('s'))?.secret).toBe('new');
    expect(reads()).toBe(2);
  });

  it('never keeps longer than a second, whatever it is asked, and does not keep a failed read', async () => {
    let clock = 0;
    let fail = true;
    const { store, reads } = countingStore(() =>
      fail ? Promise.reject(new Error('store down')) : Promise.resolve(subscription('x')),
    );
    const cache = new SubscriptionCache(store, { ttlMs: 60_000, now: () => clock });
    await expect(cache.get('s')).rejects.toThrow('store down');
    fail = false;
    expect(await cache.get('s')).toBeDefined();
    clock = 1000;
    await cache.get('s');
    expect(reads()).toBe(3);
  });

  it('looks the active subscriptions of a type up once within its window, per type, sharing a lookup in flight', async () => {
    let clock = 0;
    let active = [subscription('a')];
    const { store, lookups } = countingStore(
      () => Promise.resolve(undefined),
      (type) => Promise.resolve(type === 'order:placed' ? active : []),
    );
    const cache = new SubscriptionCache(store, { now: () => clock });
    const [first, second] = await Promise.all([cache.activeFor('order:placed'), cache.activeFor('order:placed')]);
    expect(first).toBe(second);
    expect(lookups()).toBe(1);
    expect(await cache.activeFor('order:shipped')).toEqual([]);
    expect(lookups()).toBe(2);
    active = [];
    clock = 999;
    expect(await cache.activeFor('order:placed')).toHaveLength(1);
    expect(lookups()).toBe(2);
    clock = 1000;
    expect(await cache.activeFor('order:placed')).toEqual([]);
    expect(lookups()).toBe(3);
  });

  it('drops everything it read once a change is made in this process, whatever the window', async () => {
    let active = [subscription('a')];
    let secret = 'old';
    const { store, reads, lookups } = countingStore(
      () => Promise.resolve(subscription(secret)),
      () => Promise.resolve(active),
    );
    const changes = new SubscriptionChanges();
    const cache = new SubscriptionCache(store, { now: () => 0, changes });
    expect(await cache.activeFor('order:placed')).toHaveLength(1);
    expect((await cache.get('s'))?.secret).toBe('old');
    active = [];
    secret = 'new';
    changes.changed();
    expect(await cache.activeFor('order:placed')).toEqual([]);
    expect((await cache.get('s'))?.secret).toBe('new');
    expect([lookups(), reads()]).toEqual([2, 2]);
    // Read again under the new count: kept again.
    await cache.activeFor('order:placed');
    await cache.get('s');
    expect([lookups(), reads()]).toEqual([2, 2]);
  });

  it('shares one change counter per store object, so changes made apart from the cache reach it', async () => {
    const { store, lookups } = countingStore(() => Promise.resolve(undefined));
    const cache = new SubscriptionCache(store, { now: () => 0 });
    await cache.activeFor('order:placed');
    await cache.activeFor('order:placed');
    expect(lookups()).toBe(1);
    subscriptionChangesOf(store).changed();
    await cache.activeFor('order:placed');
    expect(lookups()).toBe(2);
  });

  it('reads the store every time with a window of 0, and keeps no failed lookup', async () => {
    let fail = true;
    const { store, lookups } = countingStore(
      () => Promise.resolve(undefined),
      () => (fail ? Promise.reject(new Error('store down')) : Promise.resolve([])),
    );
    const kept = new SubscriptionCache(store, { now: () => 0 });
    await expect(kept.activeFor('t')).rejects.toThrow('store down');
    fail = false;
    await kept.activeFor('t');
    expect(lookups()).toBe(2);
    const off = new SubscriptionCache(store, { ttlMs: 0, now: () => 0 });
    await off.activeFor('t');
    await off.activeFor('t');
    expect(lookups()).toBe(4);
  });
});
