import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';
import { secretKey } from './webhook-secret.js';

// Secrets in use, decoded and imported once each: a burst to one endpoint signs with one key object.
const maxKeys = 1000;
const keys = new Map<string, KeyObject>();

/** The imported HMAC key of a secret, reused. @throws {WebhookError} `INVALID_SECRET` (never kept). */
function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    key = createSecretKey(secretKey(secret));
    if (keys.size >= maxKeys) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * The Standard Webhooks signature of a delivery: `v1,` + base64 of HMAC-SHA256 over
 * `<id>.<timestamp>.<body>`, `timestamp` in seconds since the epoch.
 *
 * @throws {WebhookError} `INVALID_SECRET` for a malformed `whsec_` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${digest}`;
}

/**
 * The three headers every delivery carries. Given several secrets (during a rotation's overlap:
 * see `signingSecrets`), `webhook-signature` holds one signature per secret, space-separated, as
 * Standard Webhooks specifies: a receiver accepts the delivery when any of them verifies.
 *
 * @throws {WebhookError} `INVALID_SECRET` for a malformed `whsec_` secret, or for no secret at all.
 */
export function signatureHeaders(
  secrets: string | readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  const all = typeof secrets === 'string' ? [secrets] : secrets;
  if (all.length === 0)
    throw new WebhookError(WebhookErrorCode.InvalidSecret, 'a delivery needs a secret to sign with');
  let signature = signWebhook(all[0] as string, id, timestamp, body);
  for (let index = 1; index < all.length; index++)
    signature += ` ${signWebhook(all[index] as string, id, timestamp, body)}`;
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}
