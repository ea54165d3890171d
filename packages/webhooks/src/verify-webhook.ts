import { timingSafeEqual } from 'node:crypto';
import { signWebhook } from './sign-webhook.js';
import { secretKey } from './webhook-secret.js';

/** What {@link verifyWebhook} found. */
export type WebhookVerification =
  | { readonly valid: true; readonly id: string; readonly timestamp: number }
  | { readonly valid: false; readonly reason: 'missing-headers' | 'timestamp-out-of-range' | 'invalid-signature' };

type HeaderBag = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/**
 * Verifies a delivery as a receiver: the `webhook-signature` header (one or more space-separated
 * `v1,<base64>` signatures, as during secret rotation) must match the body signed with `secret`,
 * compared in constant time, and `webhook-timestamp` must be within `toleranceSeconds` (5 minutes
 * by default) of now, so a captured request cannot be replayed later. Verify the raw body, before
 * parsing it.
 *
 * @throws {WebhookError} `INVALID_SECRET` for a `whsec_` secret that is not base64 of 24–64 bytes.
 *
 * @example
 * const check = verifyWebhook(process.env.WEBHOOK_SECRET, req.headers, rawBody);
 * if (!check.valid) return res.status(401).end();
 */
export function verifyWebhook(
  secret: string,
  headers: HeaderBag,
  body: string | Buffer,
  options: { toleranceSeconds?: number; now?: () => number } = {},
): WebhookVerification {
  secretKey(secret); // a malformed secret is the caller's mistake, whatever the request holds
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (id === undefined || timestampText === undefined || signatures === undefined)
    return { valid: false, reason: 'missing-headers' };
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) {
    return { valid: false, reason: 'timestamp-out-of-range' };
  }
  const expected = Buffer.from(
    signWebhook(secret, id, timestamp, typeof body === 'string' ? body : body.toString('utf8')),
  );
  for (const candidate of signatures.split(' ')) {
    const given = Buffer.from(candidate);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { valid: true, id, timestamp };
  }
  return { valid: false, reason: 'invalid-signature' };
}
