import type { DeliveryTimeouts } from './deliver-request.js';
import type { Subscription } from './subscription.js';
import { maxSubscriptionCacheMs } from './subscription-cache.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

const defaultTimeoutMs = 10_000;

/** Timeouts of one attempt: one number sets connect and response alike. */
export type WebhookTimeouts = number | { connectMs: number; responseMs: number };

/** A positive number option, or its default. @throws {WebhookError} `INVALID_OPTIONS`. */
export function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The `subscriptionCacheMs` option: how long subscriptions are reused, 0 (off) to
 * {@link maxSubscriptionCacheMs} (the default).
 *
 * @throws {WebhookError} `INVALID_OPTIONS` for anything else.
 */
export function cacheWindow(value: number | undefined): number {
  if (value === undefined) return maxSubscriptionCacheMs;
  if (!Number.isFinite(value) || value < 0 || value > maxSubscriptionCacheMs) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      `subscriptionCacheMs must be between 0 and ${maxSubscriptionCacheMs}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The `timeouts` option (or its deprecated alias `timeout`) as connect and response timeouts.
 *
 * @throws {WebhookError} `INVALID_OPTIONS` for a bad value, or both options given.
 */
export function readTimeouts(timeouts: WebhookTimeouts | undefined, timeout?: WebhookTimeouts): DeliveryTimeouts {
  if (timeouts !== undefined && timeout !== undefined) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      'give timeouts, not both timeouts and its old name timeout',
    );
  }
  const name = timeouts === undefined && timeout !== undefined ? 'timeout' : 'timeouts';
  const given = timeouts ?? timeout;
  if (typeof given === 'object') {
    return {
      connectMs: positive(`${name}.connectMs`, given.connectMs, defaultTimeoutMs),
      responseMs: positive(`${name}.responseMs`, given.responseMs, defaultTimeoutMs),
    };
  }
  const both = positive(name, given, defaultTimeoutMs);
  return { connectMs: both, responseMs: both };
}

/** The `authorization` header a subscription's credentials make. */
export function authorization(subscription: Subscription): Record<string, string> {
  const auth = subscription.auth;
  if (auth === undefined) return {};
  if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}
