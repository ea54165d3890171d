import { RetryScheduleRegistry, type RetrySchedule } from '@events-protocol/core';
import { Outbox, OutboxRelay, maxBatchSize, type ClaimedEvent } from '@events-protocol/outbox';
import { outgoingEvent, serializeEvent, type PublishedEvent } from '@events-protocol/publish';
import { Agent, type Dispatcher } from 'undici';
import { AttemptReporter } from './attempt-reporter.js';
import type { DeliveryTimeouts } from './deliver-request.js';
import { webhookDeliveryId } from './delivery-id.js';
import { positive, readTimeouts, type WebhookTimeouts } from './dispatcher-settings.js';
import { guardedConnector } from './guarded-connector.js';
import { defaultRetry } from './subscription.js';
import { SubscriptionCache } from './subscription-cache.js';
import { systemLookup, type TargetLookup } from './target-lookup.js';
import { CompiledTargetPolicy, type TargetPolicy } from './target-policy.js';
import type { WebhookCallback } from './webhook-callback.js';
import {
  WebhookDeliveries,
  type DeliveryPage,
  type DeliveryPurge,
  type DeliverySelection,
  type ListDeliveriesOptions,
  type WebhookDelivery,
  type WebhookDeliveryViews,
} from './webhook-deliveries.js';
import { WebhookDeliverySink } from './webhook-delivery-sink.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';
import { silentWebhookLogger, type WebhookLogger } from './webhook-logger.js';
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
  /** A pino-compatible logger; silent by default. */
  logger?: WebhookLogger;
  /** Attempts made at once by the worker. 8 by default. */
  concurrency?: number;
  /** The longest the worker sleeps when nothing is due and no enqueue wakes it. 1 s by default. */
  pollIntervalMs?: number;
  /** How long a claimed delivery stays this process's before another may take it. Both timeouts + 30 s by default. */
  leaseMs?: number;
  /** Start the worker now (the default). `false` for a process that only records deliveries another process makes. */
  startWorker?: boolean;
  /** The clock, in ms since the epoch. */
  now?: () => number;
}

/** Options of {@link WebhookDispatcher.deliverEvent}: the store's own, such as the caller's transaction. */
export type DeliverEventOptions<TEnqueueOptions extends object = object> = TEnqueueOptions & {
  /** Aborts before anything is stored. */
  signal?: AbortSignal;
};

/** Where one subscription's delivery of an event stands after {@link WebhookDispatcher.deliverEvent}. */
export interface DeliveryStatus {
  readonly subscriptionId: string;
  /** The delivery's id, its outbox entry's (see `webhookDeliveryId`). */
  readonly deliveryId: string;
  /** `duplicate`: this event was recorded for the subscription before, and is not delivered again. */
  readonly state: 'pending' | 'duplicate';
}

const closedError = (): WebhookError => new WebhookError(WebhookErrorCode.Closed, 'the webhook dispatcher is closed');

/**
 * Delivers events to their subscriptions through the outbox: each (subscription, event) becomes
 * one outbox entry, stored in the caller's transaction when given one, and a relay in this
 * process publishes it through the signing {@link WebhookDeliverySink}, retrying on the
 * subscription's schedule. Every attempt is recorded with the entry; everything is in the store,
 * so a restarted process, or another one, carries on where the last one stopped.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ store, callbacks: { audit: (report) => log(report) } });
 * await dispatcher.deliverEvent(createPublishedEvent({ name: 'order:placed', payload: { orderId } }));
 * await dispatcher.close();
 */
export class WebhookDispatcher<TEnqueueOptions extends object = object> implements WebhookDeliveryViews {
  /** The outbox of deliveries, for everything its operators' view offers. */
  readonly outbox: Outbox<TEnqueueOptions>;
  readonly #store: WebhookStore<TEnqueueOptions>;
  readonly #schedules: RetryScheduleRegistry;
  readonly #fallbackSchedule: RetrySchedule;
  readonly #subscriptions: SubscriptionCache;
  readonly #deliveries: WebhookDeliveries;
  readonly #http: Dispatcher;
  readonly #relay: OutboxRelay;
  #closed = false;

  /** @throws {WebhookError} `INVALID_OPTIONS` for a bad number, timeout or target policy. */
  constructor(options: WebhookDispatcherOptions<TEnqueueOptions>) {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name is still read, and refused beside the new
    const timeouts: DeliveryTimeouts = readTimeouts(options.timeouts, options.timeout);
    const targetPolicy = new CompiledTargetPolicy(options.targetPolicy);
    const concurrency = positive('concurrency', options.concurrency, 8, true);
    const now = options.now ?? Date.now;
    const logger = options.logger ?? silentWebhookLogger();
    this.#store = options.store;
    this.#schedules = options.schedules ?? new RetryScheduleRegistry();
    this.#fallbackSchedule = new RetryScheduleRegistry().create(defaultRetry);
    this.#subscriptions = new SubscriptionCache(options.store.subscriptions, { now });
    this.outbox = new Outbox({ store: options.store.deliveries, clock: now });
    this.#deliveries = new WebhookDeliveries(this.outbox);
    this.#http = new Agent({
      connect: guardedConnector(targetPolicy, options.lookup ?? systemLookup, timeouts.connectMs),
      keepAliveTimeout: 4000,
    });
    const sink = new WebhookDeliverySink({
      subscriptions: this.#subscriptions,
      http: this.#http,
      targetPolicy,
      timeouts,
      now,
    });
    const reporter = new AttemptReporter(this.#subscriptions, options.callbacks ?? {}, logger);
    this.#relay = new OutboxRelay({
      store: options.store.deliveries,
      sink,
      schedule: (claimed: ClaimedEvent) => this.#scheduleFor(claimed),
      batchSize: concurrency,
      concurrency,
      leaseMs: positive('leaseMs', options.leaseMs, timeouts.connectMs + timeouts.responseMs + 30_000, true),
      // sendDelivery bounds each attempt by connect + response; the relay's abort is a backstop.
      publishTimeoutMs: timeouts.connectMs + timeouts.responseMs + 1000,
      pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 1000, true),
      clock: now,
      logger,
      onAttempt: (report) => reporter.report(report),
    });
    if (options.startWorker !== false) this.start();
  }

  /**
   * Delivers an event to every active subscription to its type (`event.name`): stores one
   * delivery per subscription, all in one transaction (the caller's, given `{ client }` on
   * PostgreSQL or `{ database }` on SQLite: then a ROLLBACK sends nothing), and returns; the relay
   * makes the attempts. Each (subscription, event id) is stored once: delivering the same event
   * again reports `duplicate` and sends nothing new.
   *
   * @throws {WebhookError} `CLOSED` after {@link close}.
   * @throws {PublishError} `SERIALIZATION_FAILED` for an event JSON cannot carry.
   * @throws {OutboxError} `ENQUEUE_FAILED` when the store failed (nothing of the call is stored).
   */
  async deliverEvent(event: PublishedEvent, options?: DeliverEventOptions<TEnqueueOptions>): Promise<DeliveryStatus[]> {
    if (this.#closed) throw closedError();
    serializeEvent(event, 'webhooks');
    const subscriptions = await this.#store.subscriptions.activeSubscriptionsFor(event.name);
    // Stored with identity (each attempt decides whether to send it), never with auth.
    const stored = outgoingEvent(event, { identity: true });
    const items = subscriptions.map((subscription) => ({
      event: stored,
      id: webhookDeliveryId(subscription.id, event.id),
      topic: subscription.id,
    }));
    const flags: boolean[] = [];
    for (let start = 0; start < items.length; start += maxBatchSize) {
      flags.push(...(await this.outbox.enqueueItems(items.slice(start, start + maxBatchSize), options)));
    }
    return items.map((item, index) => ({
      subscriptionId: item.topic,
      deliveryId: item.id,
      state: flags[index] === true ? 'pending' : 'duplicate',
    }));
  }

  /** Lists deliveries by subscription and state, a page at a time (see {@link WebhookDeliveries.listDeliveries}). */
  listDeliveries(options?: ListDeliveriesOptions): Promise<DeliveryPage> {
    return this.#deliveries.listDeliveries(options);
  }

  /** One delivery in any state, with its attempts; `undefined` when unknown. */
  getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    return this.#deliveries.getDelivery(id);
  }

  /** Makes undelivered deliveries due again with fresh attempts (same `webhook-id`); resolves to how many. */
  redeliver(selection: DeliverySelection): Promise<number> {
    return this.#deliveries.redeliver(selection);
  }

  /** Deletes undelivered deliveries, or delivered ones by age; resolves to how many. */
  purge(selection: DeliveryPurge): Promise<number> {
    return this.#deliveries.purge(selection);
  }

  /** Whether deliveries can be recorded: the dispatcher is open and its store answers. Never throws. */
  async healthCheck(): Promise<boolean> {
    if (this.#closed) return false;
    return this.#store.deliveries.healthCheck().catch(() => false);
  }

  /** Starts the worker (the relay), if it is not running. @throws {WebhookError} `CLOSED`. */
  start(): void {
    if (this.#closed) throw closedError();
    this.#relay.start();
  }

  /**
   * Stops the worker and waits for the attempts in flight to be recorded. Deliveries not yet due
   * stay in the store for the next process. Does not close the store, which the caller owns.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#relay.stop();
    await this.#http.close();
  }

  /** The subscription's retry schedule, read now: a change applies from the next attempt on. */
  async #scheduleFor(claimed: ClaimedEvent): Promise<RetrySchedule> {
    try {
      const subscription = claimed.topic === undefined ? undefined : await this.#subscriptions.get(claimed.topic);
      // A deleted subscription's entry is refused by the sink as UNDELIVERABLE whatever the schedule.
      return subscription === undefined ? this.#fallbackSchedule : this.#schedules.create(subscription.retry);
    } catch {
      // A store that cannot be read now, or a schedule no longer registered: the default budget.
      return this.#fallbackSchedule;
    }
  }
}
