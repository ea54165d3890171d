import type { RetryScheduleRegistry } from '@events-protocol/core';
import type { AttemptReport } from '@events-protocol/outbox';
import type { EndpointPolicyOptions } from './endpoint-policy.js';
import type { TargetLookup } from './target-lookup.js';
import type { TargetPolicy } from './target-policy.js';
import type { WebhookCallback } from './webhook-callback.js';
import type { WebhookTimeouts } from './dispatcher-settings.js';
import type { WebhookLogger } from './webhook-logger.js';
import type { WebhookStore } from './webhook-store.js';

/** How a {@link WebhookDispatcher} delivers. */
export interface WebhookDispatcherOptions<TEnqueueOptions extends object = object> {
  store: WebhookStore<TEnqueueOptions>;
  /** The schedules subscriptions name; the built-in ones by default. Use the same registry as {@link WebhookSubscriptions}. */
  schedules?: RetryScheduleRegistry;
  /** Which targets may be reached; only public addresses by default. */
  targetPolicy?: TargetPolicy;
  /** How target host names are resolved before connecting; the system resolver by default. */
  lookup?: TargetLookup;
  /** Connect and response timeouts per attempt: one number sets both. 10 s by default. */
  timeouts?: WebhookTimeouts;
  /** @deprecated The old name of `timeouts`. */
  timeout?: WebhookTimeouts;
  /** Callbacks subscriptions may name in `callback`. */
  callbacks?: Readonly<Record<string, WebhookCallback>>;
  /** When failing endpoints are disabled by the dispatcher itself; never by default. */
  endpointPolicy?: EndpointPolicyOptions;
  /**
   * Hears every attempt after it is recorded (and after the subscription's callback), for
   * metrics: e.g. a `DeliveryMetrics`' `observe`. One that throws is logged.
   */
  onAttempt?: (report: AttemptReport) => void | Promise<void>;
  /** A pino-compatible logger; silent by default. */
  logger?: WebhookLogger;
  /**
   * How long an attempt may wait in this process for its endpoint's limits (the subscription's
   * `rateLimitPerSecond`, `maxConcurrency`, `ordered`, or a `Retry-After` pause) before it is put
   * back instead, due again when its turn comes, spending no attempt: a limited endpoint holds a
   * worker slot for at most this long. 250 ms by default.
   */
  limitWaitMs?: number;
  /** Attempts made at once by the worker. 8 by default. */
  concurrency?: number;
  /**
   * Deliveries the worker claims at a time, `concurrency` of them in flight: claiming and
   * recording outcomes are one store round trip each per batch, so a larger batch spends fewer
   * on each delivery (on PostgreSQL, fewer commits), at the cost of a longer default lease.
   * `concurrency` by default.
   */
  batchSize?: number;
  /** The longest the worker sleeps when nothing is due and no enqueue wakes it. 1 s by default. */
  pollIntervalMs?: number;
  /**
   * How long a claimed delivery stays this process's before another may take it. By default
   * long enough for the whole batch at the slowest: both timeouts once per `concurrency` of
   * `batchSize` (once, by default), + 30 s.
   */
  leaseMs?: number;
  /** Start the worker now (the default). `false` for a process that only records deliveries another process makes. */
  startWorker?: boolean;
  /**
   * How long subscriptions read from the store are reused, in ms: each event type's active ones
   * (for `deliverEvents`) and each one by id (for attempts). A change made through a
   * `WebhookSubscriptions` on the same store object in this process is used at once; one made
   * elsewhere after at most this. 0 reads the store every time. 1,000 (`maxSubscriptionCacheMs`,
   * also the most) by default.
   */
  subscriptionCacheMs?: number;
  /** The clock, in ms since the epoch. */
  now?: () => number;
}

/** Options of {@link WebhookDispatcher.deliverEvent} and `deliverEvents`: the store's own, such as the caller's transaction. */
export type DeliverEventOptions<TEnqueueOptions extends object = object> = TEnqueueOptions & {
  /** Aborts before anything is stored. */
  signal?: AbortSignal;
};
