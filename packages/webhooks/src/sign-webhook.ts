import { createHmac } from 'node:crypto';
import { secretKey } from './webhook-secret.js';

/**
 * The Standard Webhooks signature of a delivery: `v1,` + base64 of HMAC-SHA256 over
 * `<id>.<timestamp>.<body>`, `timestamp` in seconds since the epoch.
 *
 * @throws {WebhookError} `INVALID_SECRET` for a malformed `whsec_` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/** The three headers every delivery carries. */
export function signatureHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
