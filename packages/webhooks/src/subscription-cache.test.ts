import { describe, expect, it } from 'vitest';
import type { Subscription } from './subscription.js';
import { SubscriptionCache } from './subscription-cache.js';
import type { SubscriptionStore } from './webhook-store.js';

/** Just enough of a store to count reads: the cache calls nothing else. */
function countingStore(read: (id: string) => Promise<Subscription | undefined>) {
  let reads = 0;
  const store = {
    getSubscription: (id: string) => {
      reads++;
      return read(id);
    },
  } as unknown as SubscriptionStore;
  return { store, reads: () => reads };
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
});
