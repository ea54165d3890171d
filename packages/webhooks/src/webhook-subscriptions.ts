import { isRetryScheduleError, newEventId, RetryScheduleRegistry } from '@events-protocol/core';
import type { z } from 'zod';
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
import type { SubscriptionStore, WebhookStore } from './webhook-store.js';

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

  /**
   * Takes the subscription store, or a whole {@link WebhookStore} (and uses its `subscriptions`).
   *
   * @throws {WebhookError} `INVALID_OPTIONS` for a target policy that does not parse.
   */
  constructor(
    store: SubscriptionStore | WebhookStore,
    options: { schedules?: RetryScheduleRegistry; targetPolicy?: TargetPolicy; lookup?: TargetLookup } = {},
  ) {
    this.#store = 'subscriptions' in store ? store.subscriptions : store;
    this.#schedules = options.schedules ?? new RetryScheduleRegistry();
    this.#targetPolicy = new CompiledTargetPolicy(options.targetPolicy);
    this.#lookup = options.lookup ?? systemLookup;
    this.#changes = subscriptionChangesOf(this.#store);
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
    const now = new Date().toISOString();
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

  /** @throws {WebhookError} `SUBSCRIPTION_NOT_FOUND`, `INVALID_SUBSCRIPTION`, or `SUBSCRIPTION_EXISTS`. */
  async update(id: string, patch: SubscriptionPatch): Promise<Subscription> {
    const current = await this.get(id);
    const parsed = subscriptionPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(zodIssues(parsed.error));
    const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
    const subscription = await this.#checked({ ...current, ...changes, id, updatedAt: new Date().toISOString() });
    await this.#changing(this.#store.replaceSubscription(subscription));
    return subscription;
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
