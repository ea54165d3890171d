import {
  RetryScheduleRegistry,
  type PublishedEventContract,
  type PublishedPayloadInput,
  type RetrySchedule,
} from '@events-protocol/core';
import { Outbox, OutboxRelay, type ClaimedEvent } from '@events-protocol/outbox';
import type { PublishedEvent } from '@events-protocol/publish';
import { Agent, type Dispatcher } from 'undici';
import { AttemptReporter } from './attempt-reporter.js';
import { checkDeliverable } from './check-deliverable.js';
import { deliveryArguments, type ContractDeliveryFields } from './delivery-arguments.js';
import type { DeliveryTimeouts } from './deliver-request.js';
import { deliveryStatuses, planDeliveries, type DeliveryStatus } from './delivery-plan.js';
import type { DeliverEventOptions, WebhookDispatcherOptions } from './dispatcher-options.js';
import { cacheWindow, positive, readTimeouts } from './dispatcher-settings.js';
import { defaultLimitWaitMs, EndpointLimiter } from './endpoint-limiter.js';
import { guardedConnector } from './guarded-connector.js';
import { defaultRetry, type Subscription } from './subscription.js';
import { SubscriptionCache } from './subscription-cache.js';
import { systemLookup } from './target-lookup.js';
import { CompiledTargetPolicy } from './target-policy.js';
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
import { silentWebhookLogger } from './webhook-logger.js';
import type { WebhookStore } from './webhook-store.js';

export type { WebhookDispatcherOptions, DeliverEventOptions } from './dispatcher-options.js';
export type { DeliveryStatus } from './delivery-plan.js';

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
  readonly #scheduleOf = new WeakMap<Subscription, { retry: Subscription['retry']; schedule: RetrySchedule }>();
  readonly #subscriptions: SubscriptionCache;
  readonly #deliveries: WebhookDeliveries;
  readonly #http: Dispatcher;
  readonly #relay: OutboxRelay;
  readonly #reporter: AttemptReporter;
  #closed = false;

  /** @throws {WebhookError} `INVALID_OPTIONS` for a bad number, timeout or target policy. */
  constructor(options: WebhookDispatcherOptions<TEnqueueOptions>) {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name is still read, and refused beside the new
    const timeouts: DeliveryTimeouts = readTimeouts(options.timeouts, options.timeout);
    const targetPolicy = new CompiledTargetPolicy(options.targetPolicy);
    const concurrency = positive('concurrency', options.concurrency, 8, true);
    const batchSize = positive('batchSize', options.batchSize, concurrency, true);
    const attemptMs = timeouts.connectMs + timeouts.responseMs;
    const now = options.now ?? Date.now;
    const logger = options.logger ?? silentWebhookLogger();
    this.#store = options.store;
    this.#schedules = options.schedules ?? new RetryScheduleRegistry();
    this.#fallbackSchedule = new RetryScheduleRegistry().create(defaultRetry);
    this.#subscriptions = new SubscriptionCache(options.store.subscriptions, {
      now,
      ttlMs: cacheWindow(options.subscriptionCacheMs),
    });
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
      limiter: new EndpointLimiter({
        maxWaitMs: positive('limitWaitMs', options.limitWaitMs, defaultLimitWaitMs),
        now,
      }),
      now,
    });
    this.#reporter = new AttemptReporter(this.#subscriptions, options.callbacks ?? {}, logger, {
      store: options.store.subscriptions,
      policy: options.endpointPolicy ?? {},
      onAttempt: options.onAttempt,
      now,
    });
    const reporter = this.#reporter;
    this.#relay = new OutboxRelay({
      store: options.store.deliveries,
      sink,
      schedule: (claimed: ClaimedEvent) => this.#scheduleFor(claimed),
      batchSize,
      concurrency,
      leaseMs: positive('leaseMs', options.leaseMs, Math.ceil(batchSize / concurrency) * attemptMs + 30_000, true),
      // sendDelivery bounds each attempt by connect + response; the relay's abort is a backstop.
      publishTimeoutMs: attemptMs + 1000,
      pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 1000, true),
      clock: now,
      logger,
      onAttempt: (report) => reporter.report(report),
    });
    if (options.startWorker !== false) this.start();
  }

  /**
   * Delivers an event to every active subscription to its type (`event.name`): the batch of one
   * of {@link deliverEvents}, with the same transaction, validation and deduplication. Resolves
   * to the event's statuses, one per subscription.
   *
   * Given a contract and a payload, it makes the event, the payload validated first (`options.fields`: id, flowId…).
   *
   * @example
   * await dispatcher.deliverEvent(orderPlaced, { orderId, total }, { client });
   * @throws {WebhookError} `CLOSED` after {@link close}.
   * @throws {PublishError} `SERIALIZATION_FAILED` for an event JSON cannot carry; `INVALID_EVENT`
   * with `issues` for a payload its contract refuses (nothing stored).
   * @throws {OutboxError} `ENQUEUE_FAILED` when the store failed: nothing of the call is stored,
   * unless the event has more than 1,000 subscriptions (see {@link deliverEvents}).
   */
  deliverEvent(event: PublishedEvent, options?: DeliverEventOptions<TEnqueueOptions>): Promise<DeliveryStatus[]>;
  deliverEvent<TContract extends PublishedEventContract>(
    contract: TContract,
    payload: PublishedPayloadInput<TContract>,
    options?: DeliverEventOptions<TEnqueueOptions> & ContractDeliveryFields,
  ): Promise<DeliveryStatus[]>;
  async deliverEvent(first: PublishedEvent | PublishedEventContract, ...rest: unknown[]): Promise<DeliveryStatus[]> {
    const { event, options } = deliveryArguments(first, rest);
    const [statuses] = await this.deliverEvents([event], options as DeliverEventOptions<TEnqueueOptions> | undefined);
    return statuses ?? [];
  }

  /**
   * Delivers a batch of events, each to every active subscription to its type: stores one
   * delivery per (subscription, event), all in one transaction when they are at most 1,000 (the
   * caller's, given `{ client }` on PostgreSQL or `{ database }` on SQLite: then a ROLLBACK sends
   * nothing of the batch), and returns; the relay makes the attempts. Each event type's active
   * subscriptions are looked up once per batch, and reused for up to `subscriptionCacheMs`.
   * Resolves to one list of statuses per event, in the order of `events`: each (subscription,
   * event id) is stored once, so an event delivered before, or twice in the batch, reports
   * `duplicate` and sends nothing new.
   *
   * More than 1,000 deliveries are stored in several transactions, each holding whole events
   * (unless one event alone has more): all are checked before any is stored, and inside the
   * caller's transaction they still commit or roll back together. Without one, a store failure
   * part-way leaves the earlier transactions stored: call again with the same events, and what
   * was stored reports `duplicate`.
   *
   * @example
   * const statuses = await dispatcher.deliverEvents(orders.map((order) => orderPlaced(order)), { client });
   *
   * @throws {WebhookError} `CLOSED` after {@link close}.
   * @throws {PublishError} `SERIALIZATION_FAILED` naming the first event JSON cannot carry (nothing is stored).
   * @throws {OutboxError} `INVALID_EVENT` or `INVALID_OPTIONS` naming the first bad delivery (nothing is
   * stored); `ENQUEUE_FAILED` when the store failed.
   */
  async deliverEvents(
    events: readonly PublishedEvent[],
    options?: DeliverEventOptions<TEnqueueOptions>,
  ): Promise<DeliveryStatus[][]> {
    if (this.#closed) throw closedError();
    events.forEach(checkDeliverable);
    const types = [...new Set(events.map((event) => event.name))];
    const found = await Promise.all(types.map((type) => this.#subscriptions.activeFor(type)));
    const byType = new Map(types.map((type, index) => [type, found[index] ?? []]));
    const plan = planDeliveries(events, (type) => byType.get(type) ?? []);
    if (plan.chunks.length > 1) this.outbox.checkItems(plan.chunks.flat());
    const stored: boolean[] = [];
    for (const chunk of plan.chunks) stored.push(...(await this.outbox.enqueueItems(chunk, options)));
    return deliveryStatuses(plan, stored);
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

  /** Redelivers every undelivered delivery of a subscription given up at or after `since` (see {@link WebhookDeliveries.recover}). */
  recover(subscriptionId: string, since: Date): Promise<number> {
    return this.#deliveries.recover(subscriptionId, since);
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
   * Stops the worker and waits for the attempts in flight to be recorded and reported (callbacks,
   * endpoint health, `onAttempt`). Deliveries not yet due
   * stay in the store for the next process. Does not close the store, which the caller owns.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#relay.stop();
    // Reports of delivered attempts run beside the relay: let them finish (callbacks, health, onAttempt).
    await this.#reporter.flush();
    await this.#http.close();
  }

  /** The subscription's retry schedule, read now: a change applies from the next attempt on. */
  async #scheduleFor(claimed: ClaimedEvent): Promise<RetrySchedule> {
    try {
      const subscription = claimed.topic === undefined ? undefined : await this.#subscriptions.get(claimed.topic);
      // A deleted subscription's entry is refused by the sink as UNDELIVERABLE whatever the schedule.
      if (subscription === undefined) return this.#fallbackSchedule;
      // Made once per subscription object: a burst of its attempts validates its schedule once,
      // and a subscription read again (changed or not) gets its schedule made again.
      const made = this.#scheduleOf.get(subscription);
      if (made?.retry === subscription.retry) return made.schedule;
      const schedule = this.#schedules.create(subscription.retry);
      this.#scheduleOf.set(subscription, { retry: subscription.retry, schedule });
      return schedule;
    } catch {
      // A store that cannot be read now, or a schedule no longer registered: the default budget.
      return this.#fallbackSchedule;
    }
  }
}
