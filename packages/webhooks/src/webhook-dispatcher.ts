import { RetryScheduleRegistry, type RetrySchedule } from '@events-protocol/core';
import { outgoingEvent, serializeEvent, type PublishedEvent } from '@events-protocol/publish';
import { Agent, type Dispatcher } from 'undici';
import { sendDelivery, type AttemptResponse, type DeliveryTimeouts } from './deliver-request.js';
import { signatureHeaders } from './sign-webhook.js';
import type { Subscription } from './subscription.js';
import { authorization, positive, readTimeouts } from './dispatcher-settings.js';
import { guardedConnector } from './guarded-connector.js';
import { systemLookup, type TargetLookup } from './target-lookup.js';
import { checkTargetUrlWith, CompiledTargetPolicy, type TargetPolicy } from './target-policy.js';
import type { WebhookAttemptReport, WebhookCallback } from './webhook-callback.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';
import { silentWebhookLogger, type WebhookLogger } from './webhook-logger.js';
import type { AttemptOutcome, Delivery, DeliveryState, WebhookStore } from './webhook-store.js';

/** How a {@link WebhookDispatcher} delivers. */
export interface WebhookDispatcherOptions {
  store: WebhookStore;
  /** The schedules subscriptions name; the built-in ones by default. Use the same registry as {@link WebhookSubscriptions}. */
  schedules?: RetryScheduleRegistry;
  /** Which targets may be reached; only public addresses by default. */
  targetPolicy?: TargetPolicy;
  /** How target host names are resolved before connecting; the system resolver by default. */
  lookup?: TargetLookup;
  /** Connect and response timeouts per attempt: one number sets both. 10 s by default. */
  timeout?: number | { connectMs: number; responseMs: number };
  /** Callbacks subscriptions may name in `callback`. */
  callbacks?: Readonly<Record<string, WebhookCallback>>;
  /** A pino-compatible logger; silent by default. */
  logger?: WebhookLogger;
  /** Attempts made at once by the worker. 8 by default. */
  concurrency?: number;
  /** The longest the worker sleeps before looking for due deliveries (other processes may add some). 1 s by default. */
  pollIntervalMs?: number;
  /** How long a claimed delivery stays this process's before another may take it. Both timeouts + 30 s by default. */
  leaseMs?: number;
  /** Start the worker now (the default). `false` for a process that only records deliveries another process makes. */
  startWorker?: boolean;
  /** The clock, in ms since the epoch. */
  now?: () => number;
}

/** Where one subscription's delivery of an event stands after {@link WebhookDispatcher.deliverEvent}. */
export interface DeliveryStatus {
  readonly subscriptionId: string;
  readonly deliveryId?: number;
  /** `duplicate`: this event id was recorded for the subscription before, and is not delivered again. */
  readonly state: DeliveryState | 'duplicate';
  /** With `async: false`: what the first attempt gave. */
  readonly response?: AttemptResponse;
}

/**
 * Delivers events to their subscriptions: records each (event, subscription) once, POSTs the event
 * signed with the subscription's secret, records every attempt, and retries on the subscription's
 * schedule until a 2xx answer or the last attempt. A worker in this process makes due attempts;
 * everything it needs is in the store, so a restarted process carries on where the last one stopped.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ store, callbacks: { audit: (report) => log(report) } });
 * await dispatcher.deliverEvent(createPublishedEvent({ name: 'order:placed', payload: { orderId } }));
 * await dispatcher.close();
 */
export class WebhookDispatcher {
  readonly #store: WebhookStore;
  readonly #schedules: RetryScheduleRegistry;
  readonly #targetPolicy: CompiledTargetPolicy;
  readonly #timeouts: DeliveryTimeouts;
  readonly #callbacks: Readonly<Record<string, WebhookCallback>>;
  readonly #logger: WebhookLogger;
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #http: Dispatcher;
  readonly #inFlight = new Set<Promise<void>>();
  #worker: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(options: WebhookDispatcherOptions) {
    this.#store = options.store;
    this.#schedules = options.schedules ?? new RetryScheduleRegistry();
    this.#targetPolicy = new CompiledTargetPolicy(options.targetPolicy);
    this.#timeouts = readTimeouts(options.timeout);
    this.#callbacks = options.callbacks ?? {};
    this.#logger = options.logger ?? silentWebhookLogger();
    this.#concurrency = positive('concurrency', options.concurrency, 8, true);
    this.#pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs, 1000);
    this.#leaseMs = positive('leaseMs', options.leaseMs, this.#timeouts.connectMs + this.#timeouts.responseMs + 30_000);
    this.#now = options.now ?? Date.now;
    this.#http = new Agent({
      connect: guardedConnector(this.#targetPolicy, options.lookup ?? systemLookup, this.#timeouts.connectMs),
      keepAliveTimeout: 4000,
    });
    if (options.startWorker !== false) this.start();
  }

  /**
   * Delivers an event to every active subscription to its type (`event.name`). Each (event id,
   * subscription) is recorded once: calling this again with the same event id delivers nothing new
   * and reports `duplicate`. With `async: true` (the default) it returns once the deliveries are
   * recorded as pending; the worker makes them. With `async: false` it waits for each first attempt.
   *
   * @throws {WebhookError} `CLOSED` after {@link close}; a store failure as thrown by the store.
   */
  async deliverEvent(event: PublishedEvent, options: { async?: boolean } = {}): Promise<DeliveryStatus[]> {
    if (this.#closed) throw new WebhookError(WebhookErrorCode.Closed, 'the webhook dispatcher is closed');
    serializeEvent(event, 'webhooks');
    const subscriptions = await this.#store.activeSubscriptionsFor(event.name);
    // `auth` never leaves through a webhook, so it is not even stored; identity goes only to
    // subscriptions that opt in, decided per attempt.
    const created = await this.#store.createDeliveries(
      outgoingEvent(event, { identity: true }),
      subscriptions.map((subscription) => subscription.id),
      this.#now(),
    );
    const bySubscription = new Map(created.map((delivery) => [delivery.subscriptionId, delivery]));
    if (options.async === false && created.length > 0) {
      const claimed = await this.#store.claimDue(
        this.#now(),
        this.#leaseMs,
        created.length,
        created.map((delivery) => delivery.id),
      );
      const outcomes = new Map(
        await Promise.all(claimed.map(async (delivery) => [delivery.id, await this.#attempt(delivery)] as const)),
      );
      this.#poke();
      return subscriptions.map((subscription) => {
        const delivery = bySubscription.get(subscription.id);
        if (delivery === undefined) return { subscriptionId: subscription.id, state: 'duplicate' };
        const outcome = outcomes.get(delivery.id);
        return outcome === undefined
          ? { subscriptionId: subscription.id, deliveryId: delivery.id, state: 'pending' }
          : { subscriptionId: subscription.id, deliveryId: delivery.id, ...outcome };
      });
    }
    this.#poke();
    return subscriptions.map((subscription) => {
      const delivery = bySubscription.get(subscription.id);
      return delivery === undefined
        ? { subscriptionId: subscription.id, state: 'duplicate' }
        : { subscriptionId: subscription.id, deliveryId: delivery.id, state: 'pending' };
    });
  }

  /** Whether deliveries can be recorded: the dispatcher is open and its store answers. Never throws. */
  async healthCheck(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.#store.nextDueAt();
      return true;
    } catch {
      return false;
    }
  }

  /** Starts the worker, if it is not running. */
  start(): void {
    if (this.#closed) throw new WebhookError(WebhookErrorCode.Closed, 'the webhook dispatcher is closed');
    this.#worker ??= this.#work();
  }

  /**
   * Stops the worker and waits for the attempts in flight to be recorded. Deliveries not yet due
   * stay in the store for the next process. Does not close the store, which the caller owns.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#poke();
    await this.#worker;
    await Promise.all(this.#inFlight);
    await this.#http.close();
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #work(): Promise<void> {
    while (!this.#closed) {
      let claimed: Delivery[] = [];
      const free = this.#concurrency - this.#inFlight.size;
      if (free > 0) {
        try {
          claimed = await this.#store.claimDue(this.#now(), this.#leaseMs, free);
        } catch (error) {
          this.#logger.error({ err: error }, 'webhook dispatcher could not claim due deliveries');
        }
      }
      for (const delivery of claimed) this.#track(delivery);
      if (claimed.length > 0 && claimed.length === free) continue;
      await this.#sleep(await this.#idleMs(free > 0));
    }
  }

  #track(delivery: Delivery): void {
    const running = this.#attempt(delivery).then(
      () => undefined,
      (error: unknown) =>
        this.#logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt failed unexpectedly'),
    );
    this.#inFlight.add(running);
    void running.finally(() => {
      this.#inFlight.delete(running);
      this.#poke();
    });
  }

  /** How long to sleep: until the next due delivery, at most the poll interval; until a slot frees when all are busy. */
  async #idleMs(slotsFree: boolean): Promise<number> {
    if (!slotsFree) return this.#pollIntervalMs;
    try {
      const due = await this.#store.nextDueAt();
      if (due === undefined) return this.#pollIntervalMs;
      return Math.min(this.#pollIntervalMs, Math.max(0, due - this.#now()));
    } catch (error) {
      this.#logger.error({ err: error }, 'webhook dispatcher could not read the next due time');
      return this.#pollIntervalMs;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** One attempt of a claimed delivery, recorded with its outcome. Never throws for the target's failures. */
  async #attempt(delivery: Delivery): Promise<{ state: DeliveryState; response: AttemptResponse }> {
    const attempt = delivery.attempts + 1;
    const requestedAt = this.#now();
    const subscription = await this.#store.getSubscription(delivery.subscriptionId);
    const prepared = this.#prepare(subscription);
    if ('refusal' in prepared) {
      const response: AttemptResponse = { ok: false, error: prepared.refusal, durationMs: 0 };
      await this.#record(delivery, attempt, requestedAt, response, { state: 'given_up' });
      this.#logger.warn(
        { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, reason: prepared.refusal },
        'webhook delivery given up',
      );
      return { state: 'given_up', response };
    }
    const { subscription: target, url, schedule } = prepared;
    if (delivery.attempts > 0 && schedule.delayAfter(delivery.attempts) === undefined) {
      // The last allowed attempt was interrupted (its lease lapsed, recorded as LEASE_EXPIRED): the
      // budget is spent, so this claim ends the delivery instead of making one attempt too many.
      return this.#exhausted(delivery);
    }
    const body = serializeEvent(delivery.event, 'webhooks', { identity: target.includeIdentity === true });
    const headers: Record<string, string> = {
      ...target.headers,
      ...authorization(target),
      'content-type': 'application/json',
      'user-agent': 'events-protocol-webhooks',
      ...signatureHeaders(target.secret, delivery.eventId, Math.floor(requestedAt / 1000), body),
    };
    const response = await sendDelivery(this.#http, url, body, headers, this.#timeouts);
    const outcome = this.#outcome(response, attempt, schedule);
    await this.#record(delivery, attempt, requestedAt, response, outcome);
    if (outcome.state === 'given_up') {
      this.#logger.warn(
        { deliveryId: delivery.id, subscriptionId: target.id, eventId: delivery.eventId, attempts: attempt },
        'webhook delivery given up after its last attempt',
      );
    } else if (outcome.state === 'failed') {
      this.#logger.debug(
        { deliveryId: delivery.id, subscriptionId: target.id, attempt, status: response.status, error: response.error },
        'webhook attempt failed; retrying',
      );
    }
    await this.#callBack(target, {
      subscriptionId: target.id,
      targetUrl: target.targetUrl,
      deliveryId: delivery.id,
      attempt,
      eventType: delivery.eventType,
      event: delivery.event,
      payload: body,
      response,
      state: outcome.state,
      nextAttemptAt: outcome.nextAttemptAt,
    });
    return { state: outcome.state, response };
  }

  async #exhausted(delivery: Delivery): Promise<{ state: DeliveryState; response: AttemptResponse }> {
    const error = `LEASE_EXPIRED: the last of ${delivery.attempts} attempts was interrupted; given up`;
    try {
      await this.#store.giveUp(delivery.id);
    } catch (failure) {
      this.#logger.error({ err: failure, deliveryId: delivery.id }, 'webhook dispatcher could not give up a delivery');
    }
    this.#logger.warn(
      { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, attempts: delivery.attempts },
      'webhook delivery given up after its last attempt',
    );
    return { state: 'given_up', response: { ok: false, error, durationMs: 0 } };
  }

  #prepare(
    subscription: Subscription | undefined,
  ): { subscription: Subscription; url: URL; schedule: RetrySchedule } | { refusal: string } {
    if (subscription === undefined) return { refusal: 'the subscription was deleted' };
    if (!subscription.active) return { refusal: 'the subscription is inactive' };
    try {
      return {
        subscription,
        url: checkTargetUrlWith(subscription.targetUrl, this.#targetPolicy),
        schedule: this.#schedules.create(subscription.retry),
      };
    } catch (error) {
      return { refusal: error instanceof Error ? error.message : String(error) };
    }
  }

  #outcome(response: AttemptResponse, attempt: number, schedule: RetrySchedule): AttemptOutcome {
    if (response.ok) return { state: 'delivered' };
    const delay = schedule.delayAfter(attempt);
    if (delay === undefined) return { state: 'given_up' };
    return { state: 'failed', nextAttemptAt: this.#now() + delay };
  }

  async #record(
    delivery: Delivery,
    attempt: number,
    requestedAt: number,
    response: AttemptResponse,
    outcome: AttemptOutcome,
  ): Promise<void> {
    try {
      await this.#store.recordAttempt(
        {
          deliveryId: delivery.id,
          subscriptionId: delivery.subscriptionId,
          eventId: delivery.eventId,
          attempt,
          requestedAt,
          durationMs: response.durationMs,
          status: response.status,
          responseExcerpt: response.responseExcerpt,
          error: response.error,
        },
        outcome,
      );
    } catch (error) {
      // The claim's lease lapses and the delivery is attempted again: at least once, never lost.
      this.#logger.error({ err: error, deliveryId: delivery.id }, 'webhook dispatcher could not record an attempt');
    }
  }

  async #callBack(subscription: Subscription, report: WebhookAttemptReport): Promise<void> {
    if (subscription.callback === undefined) return;
    const callback = this.#callbacks[subscription.callback];
    if (callback === undefined) {
      this.#logger.warn(
        { subscriptionId: subscription.id, callback: subscription.callback },
        'webhook subscription names a callback that is not registered',
      );
      return;
    }
    try {
      await callback(report);
    } catch (error) {
      this.#logger.error(
        { err: error, subscriptionId: subscription.id, callback: subscription.callback },
        'webhook callback threw; the delivery is unchanged',
      );
    }
  }
}
