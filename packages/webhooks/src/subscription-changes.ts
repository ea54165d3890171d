import type { SubscriptionStore } from './webhook-store.js';

/**
 * A counter of the subscription changes made through one store object in this process: every
 * create, update and delete of a {@link WebhookSubscriptions} over it adds one. A cache that
 * remembers the count it read under drops what it read once the count moved, so a change made in
 * this process is seen by the next read after it, whatever the cache's window.
 */
export class SubscriptionChanges {
  #count = 0;

  /** How many changes were made so far. */
  get count(): number {
    return this.#count;
  }

  /** Records a change (made, failed or in doubt: a needless re-read is harmless). */
  changed(): void {
    this.#count++;
  }
}

// The dispatcher and `WebhookSubscriptions` are made apart and share only the store object, so
// the counter hangs off that. Weakly: a store that is dropped takes its counter with it.
const changesByStore = new WeakMap<SubscriptionStore, SubscriptionChanges>();

/** The change counter of `store` (the same object for every caller in this process). */
export function subscriptionChangesOf(store: SubscriptionStore): SubscriptionChanges {
  let changes = changesByStore.get(store);
  if (changes === undefined) {
    changes = new SubscriptionChanges();
    changesByStore.set(store, changes);
  }
  return changes;
}
