import type { DeliveryTimeouts } from './deliver-request.js';
import type { Subscription } from './subscription.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

const defaultTimeoutMs = 10_000;

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

/** The `timeout` option as connect and response timeouts. @throws {WebhookError} `INVALID_OPTIONS`. */
export function readTimeouts(timeout: number | DeliveryTimeouts | undefined): DeliveryTimeouts {
  if (typeof timeout === 'object') {
    return {
      connectMs: positive('timeout.connectMs', timeout.connectMs, defaultTimeoutMs),
      responseMs: positive('timeout.responseMs', timeout.responseMs, defaultTimeoutMs),
    };
  }
  const both = positive('timeout', timeout, defaultTimeoutMs);
  return { connectMs: both, responseMs: both };
}

/** The `authorization` header a subscription's credentials make. */
export function authorization(subscription: Subscription): Record<string, string> {
  const auth = subscription.auth;
  if (auth === undefined) return {};
  if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}
