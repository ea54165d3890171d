import type { Subscription } from './subscription.js';
import type { SubscriptionStore } from './webhook-store.js';

/** The longest a subscription is reused once read: a changed secret or target is used after at most this. */
export const maxSubscriptionCacheMs = 1000;

const maxCached = 10_000;

interface Cached {
  readAt: number;
  subscription: Promise<Subscription | undefined>;
}

/**
 * Subscriptions read for deliveries, kept for a short while (at most {@link maxSubscriptionCacheMs})
 * so that a burst of attempts to one subscription reads it once. A change (a new secret, a
 * deactivation, a deletion) is seen by the next read after the window; reads in flight are shared.
 */
export class SubscriptionCache {
  readonly #store: SubscriptionStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Cached>();

  constructor(store: SubscriptionStore, options: { ttlMs?: number; now?: () => number } = {}) {
    this.#store = store;
    this.#ttlMs = Math.min(Math.max(options.ttlMs ?? maxSubscriptionCacheMs, 0), maxSubscriptionCacheMs);
    this.#now = options.now ?? Date.now;
  }

  /** The subscription, read from the store unless it was read within the window; a failed read is not kept. */
  get(id: string): Promise<Subscription | undefined> {
    const now = this.#now();
    const cached = this.#entries.get(id);
    if (cached !== undefined && now - cached.readAt < this.#ttlMs) return cached.subscription;
    if (this.#entries.size >= maxCached) this.#entries.clear();
    const subscription = this.#store.getSubscription(id);
    if (this.#ttlMs > 0) {
      const entry = { readAt: now, subscription };
      this.#entries.set(id, entry);
      subscription.catch(() => {
        if (this.#entries.get(id) === entry) this.#entries.delete(id);
      });
    }
    return subscription;
  }
}
