import type { OutboxStore } from '@events-protocol/outbox';
import type { EndpointAttemptOutcome, EndpointHealth } from './endpoint-health.js';
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
  /**
   * Replaces a subscription only if it is still exactly `expected` (as read before): a
   * compare-and-set, so that of several processes making the same change (disabling a failing
   * endpoint) exactly one succeeds. Resolves to whether it replaced; `false` when it changed since
   * or is gone.
   *
   * @throws {WebhookError} `SUBSCRIPTION_EXISTS` as {@link SubscriptionStore.insertSubscription}.
   */
  replaceSubscriptionIf(expected: Subscription, next: Subscription): Promise<boolean>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Every subscription (or those to one event type), oldest first. */
  listSubscriptions(filter?: { eventType?: string }): Promise<Subscription[]>;
  /** Deletes a subscription and its endpoint health; resolves to whether it was there. */
  deleteSubscription(id: string): Promise<boolean>;
  /** The active subscriptions to an event type. */
  activeSubscriptionsFor(eventType: string): Promise<Subscription[]>;
  /**
   * Counts one attempt towards the endpoint's health in one atomic step (several dispatchers may
   * record at once): a delivered one resets `consecutiveFailures` and `failingSince`, a failed one
   * adds to them. Resolves to the health after it, or `undefined` when the subscription is unknown
   * (nothing is recorded for it).
   */
  recordAttemptOutcome(subscriptionId: string, outcome: EndpointAttemptOutcome): Promise<EndpointHealth | undefined>;
  /** The health of the endpoints asked for that have any recorded; the others are absent from the map. */
  getHealth(subscriptionIds: readonly string[]): Promise<Map<string, EndpointHealth>>;
  /** Every endpoint health recorded. */
  listHealth(): Promise<EndpointHealth[]>;
  /** Forgets an endpoint's health (as re-enabling it does): counts start again from zero. */
  resetHealth(subscriptionId: string): Promise<void>;
  /**
   * Creates the tables (the subscriptions and their endpoint health; nothing on Redis) when
   * missing; names what it created. Idempotent, and adds the health table to a database set up
   * by an earlier version without touching its subscriptions.
   */
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
