import { authorization } from './dispatcher-settings.js';
import type { Subscription } from './subscription.js';
import { checkTargetUrlWith, type CompiledTargetPolicy } from './target-policy.js';

/**
 * What every attempt to a subscription shares: its target URL checked against the policy (or why
 * the policy refuses it), and the headers that do not change per attempt (its own headers, its
 * `authorization`, the content type and the user agent). Signatures are added per attempt.
 */
export type SubscriptionTarget =
  { readonly url: URL; readonly headers: Readonly<Record<string, string>> } | { readonly refusal: unknown };

interface Kept {
  readonly target: SubscriptionTarget;
  // What it was made from: a subscription object changed in place is prepared again.
  readonly targetUrl: string;
  readonly headers: Subscription['headers'];
  readonly auth: Subscription['auth'];
}

/**
 * The {@link SubscriptionTarget} of each subscription object, made once per object: a burst of
 * attempts to one subscription, which the subscription cache hands the same object for a
 * second, parses and checks its URL and builds its headers once. A subscription read again is a
 * new object, prepared again, so a changed target or header applies as soon as it is read.
 */
export class SubscriptionTargets {
  readonly #policy: CompiledTargetPolicy;
  readonly #kept = new WeakMap<Subscription, Kept>();

  constructor(policy: CompiledTargetPolicy) {
    this.#policy = policy;
  }

  /** The subscription's target, from the last preparation of this object when it still applies. */
  of(subscription: Subscription): SubscriptionTarget {
    const kept = this.#kept.get(subscription);
    if (
      kept !== undefined &&
      kept.targetUrl === subscription.targetUrl &&
      kept.headers === subscription.headers &&
      kept.auth === subscription.auth
    ) {
      return kept.target;
    }
    const target = this.#prepare(subscription);
    this.#kept.set(subscription, {
      target,
      targetUrl: subscription.targetUrl,
      headers: subscription.headers,
      auth: subscription.auth,
    });
    return target;
  }

  #prepare(subscription: Subscription): SubscriptionTarget {
    let url: URL;
    try {
      url = checkTargetUrlWith(subscription.targetUrl, this.#policy);
    } catch (error) {
      return { refusal: error };
    }
    const headers: Record<string, string> = {
      ...subscription.headers,
      ...authorization(subscription),
      'content-type': 'application/json',
      'user-agent': 'events-protocol-webhooks',
    };
    return { url, headers };
  }
}
