import { randomBytes } from 'node:crypto';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

const prefix = 'whsec_';
const paddedBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What a secret must be, as error messages say it. */
export const webhookSecretRule = 'whsec_ followed by base64 of 24 to 64 bytes (see generateWebhookSecret())';

/**
 * Whether `secret` is a Standard Webhooks secret: `whsec_` and standard, padded base64 of 24 to 64
 * bytes. Only these are accepted, because only these sign alike in every Standard Webhooks library.
 */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(prefix)) return false;
  const encoded = secret.slice(prefix.length);
  if (!paddedBase64.test(encoded)) return false;
  const length = Buffer.from(encoded, 'base64').length;
  return length >= 24 && length <= 64;
}

/**
 * A new signing secret: `whsec_` and base64 of 32 random bytes. Subscriptions created without a
 * secret get one of these; give it to the receiver to verify with.
 */
export function generateWebhookSecret(): string {
  return `${prefix}${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC key of a secret: the bytes after `whsec_`. A secret without the prefix, as subscriptions
 * saved by earlier versions may hold, is used as its UTF-8 bytes, so that they keep verifying.
 *
 * @throws {WebhookError} `INVALID_SECRET` for a `whsec_` secret whose rest is not base64 of 24–64 bytes.
 */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(prefix)) return Buffer.from(secret, 'utf8');
  if (!isWebhookSecret(secret)) {
    throw new WebhookError(WebhookErrorCode.InvalidSecret, `the webhook secret must be ${webhookSecretRule}`);
  }
  return Buffer.from(secret.slice(prefix.length), 'base64');
}
