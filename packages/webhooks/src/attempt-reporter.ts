import type { AttemptReport } from '@events-protocol/outbox';
import type { EndpointPolicyOptions } from './endpoint-policy.js';
import type { Subscription } from './subscription.js';
import type { SubscriptionCache } from './subscription-cache.js';
import type { WebhookAttemptReport, WebhookCallback } from './webhook-callback.js';
import { deliveryBody } from './webhook-delivery-sink.js';
import type { WebhookLogger } from './webhook-logger.js';
import type { SubscriptionStore } from './webhook-store.js';

/** What the reporter needs beyond callbacks: the endpoint policy and the attempt hook. */
export interface AttemptReporterSettings {
  readonly store: SubscriptionStore;
  readonly policy: EndpointPolicyOptions;
  readonly onAttempt: ((report: AttemptReport) => void | Promise<void>) | undefined;
  readonly now: () => number;
}

/**
 * Turns the relay's report of each attempt into logs and the subscription's named callback:
 * failed attempts at `debug`, give-ups at `warn`, a callback that throws (or is not registered)
 * at `error` (`warn`). Never throws.
 */
export class AttemptReporter {
  readonly #subscriptions: SubscriptionCache;
  readonly #callbacks: Readonly<Record<string, WebhookCallback>>;
  readonly #logger: WebhookLogger;
  readonly #settings: AttemptReporterSettings;

  constructor(
    subscriptions: SubscriptionCache,
    callbacks: Readonly<Record<string, WebhookCallback>>,
    logger: WebhookLogger,
    settings: AttemptReporterSettings,
  ) {
    this.#subscriptions = subscriptions;
    this.#callbacks = callbacks;
    this.#logger = logger;
    this.#settings = settings;
  }

  async report(settled: AttemptReport): Promise<void> {
    await this.#callSubscriptionCallback(settled);
    const onAttempt = this.#settings.onAttempt;
    if (onAttempt === undefined) return;
    try {
      await onAttempt(settled);
    } catch (error) {
      this.#logger.error({ err: error, deliveryId: settled.claimed.id }, 'webhook dispatcher onAttempt hook failed');
    }
  }

  async #callSubscriptionCallback(settled: AttemptReport): Promise<void> {
    const { claimed, attempt, next } = settled;
    const subscriptionId = claimed.topic ?? '';
    const context = { deliveryId: claimed.id, subscriptionId, eventId: claimed.event.id, attempt: attempt.attempt };
    if (next === 'undelivered') {
      this.#logger.warn(
        { ...context, error: attempt.error?.message },
        attempt.error?.code === 'UNDELIVERABLE'
          ? 'webhook delivery given up: it cannot be delivered'
          : 'webhook delivery given up after its last attempt',
      );
    } else if (next === 'retry') {
      this.#logger.debug(
        { ...context, status: attempt.status, error: attempt.error?.message },
        'webhook attempt failed; retrying',
      );
    }
    let subscription: Subscription | undefined;
    try {
      subscription = await this.#subscriptions.get(subscriptionId);
    } catch (error) {
      this.#logger.error({ err: error, ...context }, 'webhook callback skipped: the subscription could not be read');
      return;
    }
    if (subscription?.callback === undefined) return;
    const callback = this.#callbacks[subscription.callback];
    if (callback === undefined) {
      this.#logger.warn(
        { subscriptionId, callback: subscription.callback },
        'webhook subscription names a callback that is not registered',
      );
      return;
    }
    try {
      await callback(this.#reportOf(settled, subscription));
    } catch (error) {
      this.#logger.error(
        { err: error, subscriptionId, callback: subscription.callback },
        'webhook callback threw; the delivery is unchanged',
      );
    }
  }

  #reportOf(settled: AttemptReport, subscription: Subscription): WebhookAttemptReport {
    const { claimed, attempt } = settled;
    return {
      subscriptionId: subscription.id,
      targetUrl: subscription.targetUrl,
      deliveryId: claimed.id,
      attempt: attempt.attempt,
      at: attempt.at,
      durationMs: attempt.durationMs,
      outcome: attempt.outcome,
      status: attempt.status,
      responseExcerpt: attempt.responseExcerpt,
      error: attempt.error,
      eventType: claimed.event.name,
      event: claimed.event,
      // The body is a pure function of the stored event and the subscription: the bytes signed.
      payload: deliveryBody(claimed.event, subscription),
      next: settled.next,
      nextAttemptAt: settled.nextAttemptAt,
      recorded: settled.recorded,
    };
  }
}
