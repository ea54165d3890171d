import type { PublishedEvent } from '@events-protocol/publish';
import type { Subscription } from './subscription.js';

/** Where a delivery stands: never tried, failed and due again, delivered, or given up after the last attempt. */
export type DeliveryState = 'pending' | 'failed' | 'delivered' | 'given_up';

/** One event to deliver to one subscription. */
export interface Delivery {
  readonly id: number;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly event: PublishedEvent;
  readonly state: DeliveryState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When the next attempt is due (ms since the epoch). */
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

/** One HTTP attempt of a delivery, as recorded. */
export interface AttemptRecord {
  readonly deliveryId: number;
  readonly subscriptionId: string;
  readonly eventId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** When the request was sent (ms since the epoch). */
  readonly requestedAt: number;
  readonly durationMs: number;
  /** The HTTP status, when a response arrived. */
  readonly status?: number | undefined;
  /** The start of the response body (at most 2 KiB). */
  readonly responseExcerpt?: string | undefined;
  /** Why no usable response arrived (timeout, refused, reset). */
  readonly error?: string | undefined;
}

/** What a finished attempt makes of its delivery. */
export interface AttemptOutcome {
  readonly state: DeliveryState;
  /** For `failed`: when to try again. */
  readonly nextAttemptAt?: number;
}

/** Where subscriptions are kept. */
export interface SubscriptionStore {
  /**
   * Stores a new subscription. At most one may exist per (event type, target URL): enforce it with
   * a unique index, so that concurrent inserts cannot both succeed.
   *
   * @throws {WebhookError} `INVALID_SUBSCRIPTION` when the id exists; `SUBSCRIPTION_EXISTS` with
   * `existingId` when one to the same event type and target URL exists.
   */
  insertSubscription(subscription: Subscription): Promise<void>;
  /** @throws {WebhookError} `SUBSCRIPTION_EXISTS` as {@link SubscriptionStore.insertSubscription}. */
  replaceSubscription(subscription: Subscription): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  listSubscriptions(filter?: { eventType?: string }): Promise<Subscription[]>;
  deleteSubscription(id: string): Promise<boolean>;
  /** The active subscriptions to an event type. */
  activeSubscriptionsFor(eventType: string): Promise<Subscription[]>;
}

/** Where deliveries and their attempts are kept. */
export interface DeliveryStore {
  /**
   * Records an event as pending for each subscription, once: a delivery that exists already for
   * (subscription, event id) is left alone. Returns the deliveries created now.
   */
  createDeliveries(event: PublishedEvent, subscriptionIds: readonly string[], now: number): Promise<Delivery[]>;
  /**
   * Claims due deliveries (all, or only `ids`) for `leaseMs`; others see them again when the lease
   * lapses. A claim is an attempt: when a delivery is claimed again after a lease lapsed with no
   * attempt recorded (the claimer died), record that attempt with an `error` starting
   * `LEASE_EXPIRED` and count it in `attempts`, in the same transaction as the new claim.
   */
  claimDue(now: number, leaseMs: number, limit: number, ids?: readonly number[]): Promise<Delivery[]>;
  /** Ends a claimed delivery as `given_up` without an attempt: its retry budget was spent by lapsed leases. */
  giveUp(deliveryId: number): Promise<void>;
  /** Stores an attempt and its delivery's new state together. */
  recordAttempt(attempt: AttemptRecord, outcome: AttemptOutcome): Promise<void>;
  /** Deliveries of an event, or of a subscription, oldest first. */
  listDeliveries(filter: { eventId?: string; subscriptionId?: string }): Promise<Delivery[]>;
  /** Attempts of a delivery, an event or a subscription, in order. */
  listAttempts(filter: { deliveryId?: number; eventId?: string; subscriptionId?: string }): Promise<AttemptRecord[]>;
  /** The earliest due time of an open delivery, to sleep until then. */
  nextDueAt(): Promise<number | undefined>;
}

/**
 * Where subscriptions, deliveries and attempts are kept. SQLite is the embedded default
 * ({@link SqliteWebhookStore}); implement this for another database (PostgreSQL, say). Every state
 * change is one transaction; claims carry a lease so a crashed process's deliveries are picked up again.
 */
export interface WebhookStore extends SubscriptionStore, DeliveryStore {
  close(): Promise<void>;
}
