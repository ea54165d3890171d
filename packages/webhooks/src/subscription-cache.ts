import type { Subscription } from './subscription.js';
import { subscriptionChangesOf, type SubscriptionChanges } from './subscription-changes.js';
import type { SubscriptionStore } from './webhook-store.js';

/**
 * The longest a subscription, or the list of an event type's active subscriptions, is reused once
 * read: a change made by another process (or straight on the store) is used after at most this.
 * Changes made through a `WebhookSubscriptions` on the same store object in this process are used at once.
 */
export const maxSubscriptionCacheMs = 1000;

const maxCached = 10_000;

interface Cached<T> {
  readAt: number;
  /** The change count it was read under: a change in this process since then drops it. */
  changes: number;
  value: Promise<T>;
}

/** How a {@link SubscriptionCache} keeps what it reads. */
export interface SubscriptionCacheOptions {
  /** How long a read is reused, in ms: 0 turns the cache off; at most {@link maxSubscriptionCacheMs} (the default). */
  ttlMs?: number;
  now?: () => number;
  /** The change counter of this process's writes; the store's own by default. */
  changes?: SubscriptionChanges;
}

/**
 * Subscriptions read for deliveries, kept for a short while (at most {@link maxSubscriptionCacheMs}):
 * by id, so that a burst of attempts to one subscription reads it once, and the active ones by
 * event type, so that a burst of events of one type looks them up once. A change made elsewhere
 * (a new secret, a deactivation, a deletion) is seen by the next read after the window; one made
 * through a `WebhookSubscriptions` on the same store in this process, by the next read after it.
 * Reads in flight are shared; a failed read is not kept.
 */
export class SubscriptionCache {
  readonly #store: SubscriptionStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #changes: SubscriptionChanges;
  readonly #byId = new Map<string, Cached<Subscription | undefined>>();
  readonly #activeByType = new Map<string, Cached<readonly Subscription[]>>();

  constructor(store: SubscriptionStore, options: SubscriptionCacheOptions = {}) {
    this.#store = store;
    this.#ttlMs = Math.min(Math.max(options.ttlMs ?? maxSubscriptionCacheMs, 0), maxSubscriptionCacheMs);
    this.#now = options.now ?? Date.now;
    this.#changes = options.changes ?? subscriptionChangesOf(store);
  }

  /** The subscription, read from the store unless it was read within the window and not changed since. */
  get(id: string): Promise<Subscription | undefined> {
    return this.#read(this.#byId, id, () => this.#store.getSubscription(id));
  }

  /** The active subscriptions to `eventType`, oldest first, read as {@link get} reads one. */
  activeFor(eventType: string): Promise<readonly Subscription[]> {
    return this.#read(this.#activeByType, eventType, () => this.#store.activeSubscriptionsFor(eventType));
  }

  #read<T>(entries: Map<string, Cached<T>>, key: string, read: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const changes = this.#changes.count;
    const cached = entries.get(key);
    if (cached !== undefined && cached.changes === changes && now - cached.readAt < this.#ttlMs) return cached.value;
    const value = read();
    if (this.#ttlMs === 0) return value;
    if (entries.size >= maxCached) entries.clear();
    const entry = { readAt: now, changes, value };
    entries.set(key, entry);
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  }
}
