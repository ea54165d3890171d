import {
  PublishError,
  PublishErrorCode,
  serializeEvent,
  type DeliveryReport,
  type PublishedEvent,
  type PublishOptions,
  type Sink,
} from '@events-protocol/publish';
import type { Dispatcher } from 'undici';
import { attemptOutcome, webhookSinkName } from './attempt-outcome.js';
import { sendDelivery, type AttemptResponse, type DeliveryTimeouts } from './deliver-request.js';
import type { EndpointLimiter } from './endpoint-limiter.js';
import { signatureHeaders } from './sign-webhook.js';
import { signingSecrets } from './signing-secrets.js';
import type { Subscription } from './subscription.js';
import type { SubscriptionCache } from './subscription-cache.js';
import { SubscriptionTargets } from './subscription-target.js';
import type { CompiledTargetPolicy } from './target-policy.js';

/** What a {@link WebhookDeliverySink} needs: where subscriptions are, how to reach targets. */
export interface WebhookDeliverySinkOptions {
  /** Subscriptions by id, read at most once a second each. */
  subscriptions: SubscriptionCache;
  /** The HTTP dispatcher, whose connector checks every dialled address against the policy. */
  http: Dispatcher;
  /** The policy a target URL must pass before anything is sent. */
  targetPolicy: CompiledTargetPolicy;
  timeouts: DeliveryTimeouts;
  /** Holds each attempt to its endpoint's rate, concurrency, order and `Retry-After` pause; none when absent. */
  limiter?: EndpointLimiter | undefined;
  /** The clock for signatures' timestamps, in ms since the epoch. */
  now?: () => number;
}

/** The body of a delivery: the event as stored (never with `auth`), `identity` only when the subscription asks. */
export function deliveryBody(event: PublishedEvent, subscription: Subscription): string {
  return serializeEvent(event, webhookSinkName, { identity: subscription.includeIdentity === true });
}

function undeliverable(message: string): PublishError {
  return new PublishError(PublishErrorCode.Undeliverable, message, { sink: webhookSinkName });
}

/**
 * The sink a relay publishes webhook deliveries through: each outbox entry's `topic` is its
 * subscription's id. It reads the subscription (reused for at most a second, so a new secret or
 * target is used within a second of being saved), refuses with `UNDELIVERABLE` when the
 * subscription is gone or inactive or its target is refused by the policy, and otherwise POSTs
 * the event signed the Standard Webhooks way: `webhook-id` is the event id, the same on every
 * retry and redelivery; `webhook-timestamp` is the time of this attempt. A 2xx answer resolves
 * to its status and excerpt; anything else rejects with a `PublishError` (`REJECTED`, `TIMEOUT`
 * or `UNREACHABLE`) carrying what the target said.
 */
export class WebhookDeliverySink implements Sink {
  readonly name = webhookSinkName;
  readonly #options: WebhookDeliverySinkOptions;
  readonly #now: () => number;
  readonly #targets: SubscriptionTargets;

  constructor(options: WebhookDeliverySinkOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#targets = new SubscriptionTargets(options.targetPolicy);
  }

  /** @throws {PublishError} `UNDELIVERABLE`, `REJECTED`, `TIMEOUT`, `UNREACHABLE` or `ABORTED`. */
  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<DeliveryReport> {
    const subscriptionId = options.topic;
    if (subscriptionId === undefined) throw undeliverable('a webhook delivery names its subscription as its topic');
    const subscription = await this.#options.subscriptions.get(subscriptionId);
    if (subscription === undefined) throw undeliverable(`the subscription '${subscriptionId}' was deleted`);
    if (!subscription.active) throw undeliverable(`the subscription '${subscriptionId}' is inactive`);
    const target = this.#targets.of(subscription);
    if ('refusal' in target) {
      const { refusal } = target;
      throw new PublishError(
        PublishErrorCode.Undeliverable,
        refusal instanceof Error ? refusal.message : String(refusal),
        { sink: webhookSinkName, cause: refusal },
      );
    }
    if (options.signal?.aborted === true) {
      throw new PublishError(PublishErrorCode.Aborted, 'the webhook attempt was aborted before it was sent', {
        sink: webhookSinkName,
        cause: options.signal.reason,
      });
    }
    const body = deliveryBody(event, subscription);
    const now = this.#now();
    let signature: Record<string, string>;
    try {
      signature = signatureHeaders(signingSecrets(subscription, now), event.id, Math.floor(now / 1000), body);
    } catch (error) {
      // A malformed stored secret signs nothing, now or later.
      throw new PublishError(
        PublishErrorCode.Undeliverable,
        `the subscription '${subscriptionId}' has no usable secret`,
        {
          sink: webhookSinkName,
          cause: error,
        },
      );
    }
    const headers: Record<string, string> = { ...target.headers, ...signature };
    const response = await this.#send(subscription, target.url, body, headers, options.signal);
    const outcome = attemptOutcome(response);
    if (outcome instanceof PublishError) throw outcome;
    return outcome;
  }

  /**
   * Sends within the endpoint's limits: waits briefly for a slot, or rejects `DEFERRED` to be put
   * back. The signature's timestamp is made before the wait, which stays well inside the
   * five minutes receivers allow.
   */
  async #send(
    subscription: Subscription,
    url: URL,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<AttemptResponse> {
    const { http, timeouts, limiter } = this.#options;
    if (limiter === undefined) return sendDelivery(http, url, body, headers, timeouts);
    const permit = await limiter.acquire(subscription.id, subscription, signal);
    let response: AttemptResponse | undefined;
    try {
      response = await sendDelivery(http, url, body, headers, timeouts);
      return response;
    } finally {
      permit.release(response);
    }
  }

  /** The sink itself holds nothing that can fail; the targets are many and each answers for itself. */
  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
