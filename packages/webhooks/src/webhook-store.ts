import type { OutboxStore } from '@events-protocol/outbox';
import type { Subscription } from './subscription.js';

/** Where subscriptions are kept: a table beside the deliveries, or Redis hashes. */
export interface SubscriptionStore {
  /** A short name for logs. */
  readonly name: string;
  /**
   * Stores a new subscription. At most one may exist per (event type, target URL): enforce it with
   * a unique index (or an atomic script), so that concurrent inserts cannot both succeed.
   *
   * @throws {WebhookError} `INVALID_SUBSCRIPTION` when the id exists; `SUBSCRIPTION_EXISTS` with
   * `existingId` when one to the same event type and target URL exists.
   */
  insertSubscription(subscription: Subscription): Promise<void>;
  /**
   * Replaces a stored subscription (same id).
   *
   * @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND` when the id is unknown; `SUBSCRIPTION_EXISTS`
   * as {@link SubscriptionStore.insertSubscription}.
   */
  replaceSubscription(subscription: Subscription): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Every subscription (or those to one event type), oldest first. */
  listSubscriptions(filter?: { eventType?: string }): Promise<Subscription[]>;
  deleteSubscription(id: string): Promise<boolean>;
  /** The active subscriptions to an event type. */
  activeSubscriptionsFor(eventType: string): Promise<Subscription[]>;
  /** Creates the table (or nothing, on Redis) when missing; names what it created. Idempotent. */
  setup(): Promise<string[]>;
  /** Releases what the store opened itself (not a connection or database passed in). */
  close(): Promise<void>;
}

/**
 * Where webhooks keep their state: subscriptions, and deliveries as entries of an outbox store
 * (one per subscription and event) on the same database, so that one transaction can hold both.
 * `@events-protocol/webhooks/sqlite`, `/postgres` and `/redis` make one.
 *
 * `TEnqueueOptions` are the deliveries store's options of `enqueue`: the caller's transaction
 * (a PostgreSQL client, a SQLite database) for a `deliverEvent` that commits with the caller's
 * own writes.
 */
export interface WebhookStore<TEnqueueOptions extends object = object> {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: OutboxStore<TEnqueueOptions>;
  /** Creates both stores' tables, streams or keys when missing; names what it created. */
  setup(): Promise<string[]>;
  /** Closes what the stores opened themselves. */
  close(): Promise<void>;
}
