import type { AttemptReport } from '@events-protocol/outbox';
import type { EndpointHealth } from './endpoint-health.js';
import { healthOutcomeOf } from './endpoint-health-outcome.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import { PendingEndpointOutcomes } from './pending-endpoint-outcomes.js';
import {
  checkEndpointPolicy,
  endpointDisableDecision,
  type EndpointDisableDecision,
  type EndpointPolicyOptions,
} from './endpoint-policy.js';
import { withoutExpiredSecrets } from './signing-secrets.js';
import type { Subscription } from './subscription.js';
import { subscriptionChangesOf } from './subscription-changes.js';
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

/** How many times a disable is tried again when the subscription changed between read and write. */
const disableTries = 3;

/**
 * Turns the relay's report of each attempt into logs, the subscription's named callback, the
 * endpoint's health and the endpoint policy: failed attempts at `debug`, give-ups at `warn`, a
 * callback that throws (or is not registered) at `error` (`warn`). Each counted attempt (see
 * `healthOutcomeOf`) is recorded in the store; when the policy's limit is reached the
 * subscription is disabled by a compare-and-set, so that of several dispatchers exactly one
 * disables it, logs it at `warn` and calls `onEndpointDisabled`. Never throws.
 */
/** The most reports of one subscription that may wait before the relay waits for them too. */
export const maxQueuedReports = 1000;

export class AttemptReporter {
  readonly #subscriptions: SubscriptionCache;
  readonly #callbacks: Readonly<Record<string, WebhookCallback>>;
  readonly #logger: WebhookLogger;
  readonly #settings: AttemptReporterSettings;
  readonly #queue = new KeyedSerialQueue();
  readonly #unwritten = new PendingEndpointOutcomes();

  constructor(
    subscriptions: SubscriptionCache,
    callbacks: Readonly<Record<string, WebhookCallback>>,
    logger: WebhookLogger,
    settings: AttemptReporterSettings,
  ) {
    this.#subscriptions = subscriptions;
    this.#callbacks = callbacks;
    this.#logger = logger;
    this.#settings = { ...settings, policy: checkEndpointPolicy(settings.policy) };
  }

  /**
   * Reports one attempt: the subscription's callback, the endpoint's health (and the policy), then
   * `onAttempt`, in attempt order per subscription. The relay waits for a failed attempt's report,
   * which may disable the endpoint before its next attempt; a delivered attempt's report runs
   * beside the deliveries that follow (unless more than {@link maxQueuedReports} of the
   * subscription's reports wait), and a run of deliveries is written to the health in one update.
   */
  report(settled: AttemptReport): Promise<void> {
    const subscriptionId = settled.claimed.topic;
    const outcome = healthOutcomeOf(settled.attempt);
    if (subscriptionId !== undefined && outcome !== undefined) {
      this.#unwritten.add(subscriptionId, outcome === 'delivered', new Date(settled.attempt.at));
    }
    const { done, queued } = this.#queue.enqueue(subscriptionId ?? '', () => this.#reportInOrder(settled));
    return settled.next === 'delivered' && queued <= maxQueuedReports ? Promise.resolve() : done;
  }

  /** Resolves when every report started so far has finished. */
  flush(): Promise<void> {
    return this.#queue.idle();
  }

  async #reportInOrder(settled: AttemptReport): Promise<void> {
    await this.#callSubscriptionCallback(settled);
    await this.#recordHealth(settled);
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

  /** Counts the attempt towards the endpoint's health, and disables the endpoint when the policy says so. */
  async #recordHealth(settled: AttemptReport): Promise<void> {
    const outcome = healthOutcomeOf(settled.attempt);
    const subscriptionId = settled.claimed.topic;
    if (outcome === undefined || subscriptionId === undefined) return;
    let health: EndpointHealth | undefined;
    try {
      for (const written of this.#unwritten.take(subscriptionId, outcome === 'delivered')) {
        health = await this.#settings.store.recordAttemptOutcome(subscriptionId, written);
      }
    } catch (error) {
      this.#logger.error({ err: error, subscriptionId }, 'webhook endpoint health could not be recorded');
      return;
    }
    // A delivery never disables an endpoint.
    if (health === undefined || outcome === 'delivered') return;
    const decision = endpointDisableDecision(this.#settings.policy, health, this.#settings.now());
    if (decision === undefined) return;
    try {
      await this.#disable(subscriptionId, health, decision);
    } catch (error) {
      this.#logger.error({ err: error, subscriptionId }, 'webhook endpoint could not be disabled');
    }
  }

  /** Disables an active subscription unless another process (or an operator) changed it first. */
  async #disable(subscriptionId: string, health: EndpointHealth, decision: EndpointDisableDecision): Promise<void> {
    const { store, now } = this.#settings;
    for (let tries = 0; tries < disableTries; tries++) {
      const current = await store.getSubscription(subscriptionId);
      if (current?.active !== true) return;
      const disabledAt = new Date(now());
      const at = disabledAt.toISOString();
      const next = withoutExpiredSecrets(
        { ...current, active: false, disabled: { at, reason: decision.message, automatic: true }, updatedAt: at },
        disabledAt.getTime(),
      );
      let replaced: boolean;
      try {
        replaced = await store.replaceSubscriptionIf(current, next);
      } finally {
        subscriptionChangesOf(store).changed();
      }
      if (!replaced) continue;
      const notice = {
        subscriptionId,
        eventType: current.eventType,
        targetUrl: current.targetUrl,
        reason: decision.rule,
        consecutiveFailures: health.consecutiveFailures,
        failingSince: new Date(health.failingSince ?? at),
        disabledAt,
      };
      this.#logger.warn({ ...notice }, `webhook endpoint ${decision.message}`);
      try {
        await this.#settings.policy.onEndpointDisabled?.(notice);
      } catch (error) {
        this.#logger.error({ err: error, subscriptionId }, 'webhook endpointPolicy.onEndpointDisabled threw');
      }
      return;
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
