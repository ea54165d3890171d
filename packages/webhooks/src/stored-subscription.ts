import type { Subscription } from './subscription.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

/**
 * The subscription as stored: its whole document as JSON, secret and credentials included (the
 * dispatcher signs with the secret and sends the credentials, so both must be kept).
 */
export function encodeSubscription(subscription: Subscription): string {
  return JSON.stringify(subscription);
}

/** A stored document back as a {@link Subscription}. */
export function decodeSubscription(text: string): Subscription {
  return JSON.parse(text) as Subscription;
}

/** The refusal of an insert whose id is taken. */
export function idTaken(id: string, cause?: unknown): WebhookError {
  return new WebhookError(WebhookErrorCode.InvalidSubscription, `a subscription with id '${id}' exists`, {
    issues: [{ path: 'id', message: 'already exists' }],
    cause,
  });
}

/** The refusal of a second subscription to the same event type and target URL. */
export function targetTaken(subscription: Subscription, existingId: string, cause?: unknown): WebhookError {
  return new WebhookError(
    WebhookErrorCode.SubscriptionExists,
    `subscription '${existingId}' already delivers ${subscription.eventType} to ${subscription.targetUrl}`,
    { existingId, cause },
  );
}

/** The refusal of a replace whose id is unknown. */
export function subscriptionNotFound(id: string): WebhookError {
  return new WebhookError(WebhookErrorCode.SubscriptionNotFound, `no subscription '${id}'`);
}

/**
 * Checks a table name given to a store: a plain SQL identifier, since it is written into
 * statements.
 *
 * @throws {WebhookError} `INVALID_OPTIONS` for anything else.
 */
export function checkSubscriptionTable(table: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) return table;
  throw new WebhookError(
    WebhookErrorCode.InvalidOptions,
    `table name '${table}' is not a plain identifier (letters, digits, _; at most 63)`,
  );
}
