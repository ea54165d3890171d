import { isRetryScheduleError, newEventId, RetryScheduleRegistry } from '@events-protocol/core';
import type { z } from 'zod';
import { emptyEndpointHealth, type EndpointHealth } from './endpoint-health.js';
import { endpointViewOf, type EndpointView } from './endpoint-health-view.js';
import { rotatedSubscription, withoutExpiredSecrets } from './signing-secrets.js';
import {
  subscriptionInputSchema,
  subscriptionPatchSchema,
  type Subscription,
  type SubscriptionInput,
  type SubscriptionPatch,
} from './subscription.js';
import { subscriptionChangesOf, type SubscriptionChanges } from './subscription-changes.js';
import { checkTarget, systemLookup, type TargetLookup } from './target-lookup.js';
import { CompiledTargetPolicy, type TargetPolicy } from './target-policy.js';
import { isWebhookError, WebhookError, WebhookErrorCode, type WebhookIssue } from './webhook-error.js';
import { generateWebhookSecret, isWebhookSecret, webhookSecretRule } from './webhook-secret.js';
import type { SubscriptionStore, WebhookStore } from './webhook-store.js';

/** How long a rotated-out secret keeps signing by default: 24 hours. */
export const defaultRotationOverlapMs = 24 * 60 * 60 * 1000;
/** The longest overlap a rotation may ask for: 30 days. */
export const maxRotationOverlapMs = 30 * 24 * 60 * 60 * 1000;

/** Options of {@link WebhookSubscriptions.rotateSecret}. */
export interface RotateSecretOptions {
  /** How long the replaced secret still signs deliveries, in ms (0 to 30 days); 24 hours by default. */
  overlapMs?: number;
  /** The new secret; a new {@link generateWebhookSecret} one when absent. */
  secret?: string;
}

/** What {@link WebhookSubscriptions.rotateSecret} gives back: the new secret, once, to pass to the receiver. */
export interface RotatedSecret {
  readonly subscription: Subscription;
  readonly secret: string;
}

function invalid(issues: WebhookIssue[]): WebhookError {
  return new WebhookError(
    WebhookErrorCode.InvalidSubscription,
    `invalid subscription: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { issues },
  );
}

function zodIssues(error: z.ZodError): WebhookIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(subscription)', message: issue.message }));
}

/**
 * Creates, reads, changes and deletes subscriptions, validating everything at save time: the
 * fields (zod), the target (http(s), the target policy), and the retry schedule (a registered
 * name with valid options), so nothing invalid is found only when an event fires.
 *
 * Every change made here is seen at once by the dispatchers of this process on the same store
 * object (their short subscription caches drop what they read before it); dispatchers in other
 * processes see it within `maxSubscriptionCacheMs`.
 */
export class WebhookSubscriptions {
  readonly #store: SubscriptionStore;
  readonly #schedules: RetryScheduleRegistry;
  readonly #targetPolicy: CompiledTargetPolicy;
  readonly #lookup: TargetLookup;
  readonly #changes: SubscriptionChanges;
  readonly #now: () => number;

  /**
   * Takes the subscription store, or a whole {@link WebhookStore} (and uses its `subscriptions`).
   *
   * @throws {WebhookError} `INVALID_OPTIONS` for a target policy that does not parse.
   */
  constructor(
    store: SubscriptionStore | WebhookStore,
    options: {
      schedules?: RetryScheduleRegistry;
      targetPolicy?: TargetPolicy;
      lookup?: TargetLookup;
      /** The clock, in ms since the epoch: for `updatedAt`, rotations' expiry and disabling times. */
      now?: () => number;
    } = {},
  ) {
    this.#store = 'subscriptions' in store ? store.subscriptions : store;
    this.#schedules = options.schedules ?? new RetryScheduleRegistry();
    this.#targetPolicy = new CompiledTargetPolicy(options.targetPolicy);
    this.#lookup = options.lookup ?? systemLookup;
    this.#changes = subscriptionChangesOf(this.#store);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Saves a new subscription. There is at most one per event type and target URL (compared in the
   * URL's normal form, which is what is stored): a second is refused, or with
   * `ifExists: 'return'` the one already there is returned unchanged, which makes creating idempotent.
   *
   * @throws {WebhookError} `INVALID_SUBSCRIPTION` with `issues` naming each field;
   * `SUBSCRIPTION_EXISTS` with `existingId` when one to the same event type and URL exists.
   */
  async create(input: SubscriptionInput, options: { ifExists?: 'error' | 'return' } = {}): Promise<Subscription> {
    const parsed = subscriptionInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error));
    const now = new Date(this.#now()).toISOString();
    const { id, ...fields } = parsed.data;
    const subscription = await this.#checked({ ...fields, id: id ?? newEventId(), createdAt: now, updatedAt: now });
    try {
      await this.#changing(this.#store.insertSubscription(subscription));
    } catch (error) {
      if (options.ifExists !== 'return' || !isWebhookError(error) || error.existingId === undefined) throw error;
      const existing = await this.#store.getSubscription(error.existingId);
      if (existing === undefined) throw error;
      return existing;
    }
    return subscription;
  }

  /**
   * Changes the fields given. `active: false` pauses the subscription; `active: true` on a
   * disabled one re-enables it as {@link enable} does. A `secret` given here replaces the current
   * one at once: {@link rotateSecret} keeps the old one signing for an overlap.
   *
   * @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`, `INVALID_SUBSCRIPTION`, or `SUBSCRIPTION_EXISTS`.
   */
  async update(id: string, patch: SubscriptionPatch): Promise<Subscription> {
    const current = await this.get(id);
    const parsed = subscriptionPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(zodIssues(parsed.error));
    const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
    const enabling = parsed.data.active === true && current.disabled !== undefined;
    const { disabled: _cleared, ...kept } = current;
    const merged = { ...(enabling ? kept : current), ...changes, id, updatedAt: this.#isoNow() };
    const subscription = await this.#checked(withoutExpiredSecrets(merged, this.#now()));
    if (enabling) await this.#store.resetHealth(id);
    await this.#changing(this.#store.replaceSubscription(subscription));
    return subscription;
  }

  /**
   * Disables a subscription by an operator's hand (`automatic: false`): nothing more is sent to
   * it, and deliveries that come due meanwhile are given up (undelivered, so that `recover` can
   * send them after {@link enable}). A subscription already disabled stays as it is.
   *
   * @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`; `INVALID_SUBSCRIPTION` for a reason that is
   * not a string of 1 to 500 characters.
   */
  async disable(id: string, options: { reason?: string } = {}): Promise<Subscription> {
    const reason = options.reason ?? 'disabled by an operator';
    if (typeof reason !== 'string' || reason.length === 0 || reason.length > 500) {
      throw invalid([{ path: 'reason', message: 'must be a string of 1 to 500 characters' }]);
    }
    const current = await this.get(id);
    if (!current.active && current.disabled !== undefined) return current;
    const at = this.#isoNow();
    const subscription = withoutExpiredSecrets(
      { ...current, active: false, disabled: { at, reason, automatic: false }, updatedAt: at },
      this.#now(),
    );
    await this.#changing(this.#store.replaceSubscription(subscription));
    return subscription;
  }

  /**
   * Makes a disabled (or paused) subscription active again: `disabled` is cleared and the
   * endpoint's health starts from zero, so the endpoint policy counts afresh. Deliveries given up
   * while it was disabled stay undelivered: send them with `recover` (or `redeliver`).
   *
   * @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`.
   */
  async enable(id: string): Promise<Subscription> {
    const { disabled: _cleared, ...current } = await this.get(id);
    const subscription = withoutExpiredSecrets({ ...current, active: true, updatedAt: this.#isoNow() }, this.#now());
    await this.#store.resetHealth(id);
    await this.#changing(this.#store.replaceSubscription(subscription));
    return subscription;
  }

  /**
   * Replaces the signing secret, keeping the old one for an overlap: until it ends, every
   * delivery carries both signatures, so the receiver verifies whichever secret it holds while
   * it switches. Resolves to the subscription and the new secret, which is shown only here: give
   * it to the receiver. Expired previous secrets are dropped.
   *
   * @example
   * const { secret } = await subscriptions.rotateSecret(id, { overlapMs: 60 * 60 * 1000 });
   * @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`; `INVALID_SUBSCRIPTION` naming `secret` (not a
   * Standard Webhooks secret, or the current one) or `overlapMs` (not an integer from 0 to 30 days).
   */
  async rotateSecret(id: string, options: RotateSecretOptions = {}): Promise<RotatedSecret> {
    const overlapMs = options.overlapMs ?? defaultRotationOverlapMs;
    if (!Number.isSafeInteger(overlapMs) || overlapMs < 0 || overlapMs > maxRotationOverlapMs) {
      throw invalid([{ path: 'overlapMs', message: `must be an integer from 0 to ${maxRotationOverlapMs} (30 days)` }]);
    }
    const secret = options.secret ?? generateWebhookSecret();
    if (typeof secret !== 'string' || !isWebhookSecret(secret)) {
      throw invalid([{ path: 'secret', message: `must be ${webhookSecretRule}` }]);
    }
    const current = await this.get(id);
    if (secret === current.secret) throw invalid([{ path: 'secret', message: 'is the current secret' }]);
    const subscription = rotatedSubscription(current, secret, overlapMs, this.#now());
    await this.#changing(this.#store.replaceSubscription(subscription));
    return { subscription, secret };
  }

  /** How the subscription's endpoint has been answering. @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`. */
  async health(id: string): Promise<EndpointHealth> {
    await this.get(id);
    return (await this.#store.getHealth([id])).get(id) ?? emptyEndpointHealth(id);
  }

  /** Every subscription (or those to one event type), oldest first, redacted, with its state and health. */
  async listEndpoints(filter?: { eventType?: string }): Promise<EndpointView[]> {
    const [found, healths] = await Promise.all([this.#store.listSubscriptions(filter), this.#store.listHealth()]);
    const byId = new Map(healths.map((health) => [health.subscriptionId, health]));
    return found.map((each) => endpointViewOf(each, byId.get(each.id) ?? emptyEndpointHealth(each.id)));
  }

  /** @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`. */
  async get(id: string): Promise<Subscription> {
    const subscription = await this.#store.getSubscription(id);
    if (subscription === undefined) {
      throw new WebhookError(WebhookErrorCode.SubscriptionNotFound, `no subscription '${id}'`);
    }
    return subscription;
  }

  /** Every subscription, or those to one event type, oldest first. */
  list(filter?: { eventType?: string }): Promise<Subscription[]> {
    return this.#store.listSubscriptions(filter);
  }

  /** @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`. */
  async delete(id: string): Promise<void> {
    if (!(await this.#changing(this.#store.deleteSubscription(id)))) {
      throw new WebhookError(WebhookErrorCode.SubscriptionNotFound, `no subscription '${id}'`);
    }
  }

  #isoNow(): string {
    return new Date(this.#now()).toISOString();
  }

  /** Waits for a write, then tells this process's caches, whatever its outcome (a failed write may have applied). */
  async #changing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.#changes.changed();
    }
  }

  async #checked(subscription: Subscription): Promise<Subscription> {
    const issues: WebhookIssue[] = [];
    let targetUrl = subscription.targetUrl;
    try {
      targetUrl = (await checkTarget(subscription.targetUrl, this.#targetPolicy, this.#lookup)).href;
    } catch (error) {
      if (!isWebhookError(error)) throw error;
      issues.push({ path: 'targetUrl', message: error.message });
    }
    try {
      this.#schedules.validate(subscription.retry);
    } catch (error) {
      if (!isRetryScheduleError(error)) throw error;
      issues.push({ path: 'retry', message: error.message });
    }
    if (issues.length > 0) throw invalid(issues);
    return { ...subscription, targetUrl };
  }
}
