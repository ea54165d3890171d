import { describe, expect, it } from 'vitest';
import { signatureHeaders, signWebhook } from './sign-webhook.js';
import { verifyWebhook } from './verify-webhook.js';

// The test vector of the Standard Webhooks specification.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const at = (seconds: number) => () => seconds * 1000;

describe('signWebhook and verifyWebhook', () => {
  it('signs as the Standard Webhooks specification does', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts a signed delivery, from a header record or a Headers object, body as text or bytes', () => {
    const headers = signatureHeaders(secret, id, timestamp, body);
    expect(verifyWebhook(secret, headers, body, { now: at(timestamp) })).toEqual({ valid: true, id, timestamp });
    expect(verifyWebhook(secret, new Headers(headers), Buffer.from(body), { now: at(timestamp + 10) }).valid).toBe(
      true,
    );
  });

  it('accepts any of several signatures, as during a secret rotation', () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const headers = {
      ...signatureHeaders(secret, id, timestamp, body),
      'webhook-signature': `${signWebhook(other, id, timestamp, body)} ${signWebhook(secret, id, timestamp, body)}`,
    };
    expect(verifyWebhook(secret, headers, body, { now: at(timestamp) }).valid).toBe(true);
  });

  it('refuses a changed body, a wrong secret, a changed id and missing headers', () => {
    const headers = signatureHeaders(secret, id, timestamp, body);
    const now = at(timestamp);
    expect(verifyWebhook(secret, headers, '{"test": 2432232315}', { now })).toEqual({
      valid: false,
      reason: 'invalid-signature',
    });
    expect(verifyWebhook('whsec_' + Buffer.alloc(32).toString('base64'), headers, body, { now }).valid).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_other' }, body, { now }).valid).toBe(false);
    expect(verifyWebhook(secret, { 'webhook-id': id }, body, { now })).toEqual({
      valid: false,
      reason: 'missing-headers',
    });
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': 'v1,' }, body, { now }).valid).toBe(false);
  });

  it('refuses a timestamp outside the replay window, in either direction', () => {
    const headers = signatureHeaders(secret, id, timestamp, body);
    expect(verifyWebhook(secret, headers, body, { now: at(timestamp + 301) })).toEqual({
      valid: false,
      reason: 'timestamp-out-of-range',
    });
    expect(verifyWebhook(secret, headers, body, { now: at(timestamp - 301) }).valid).toBe(false);
    expect(verifyWebhook(secret, headers, body, { now: at(timestamp + 301), toleranceSeconds: 600 }).valid).toBe(true);
    expect(verifyWebhook(secret, { ...headers, 'webhook-timestamp': 'soon' }, body, { now: at(timestamp) }).valid).toBe(
      false,
    );
  });

  it('throws INVALID_SECRET for a whsec_ secret that is not padded base64 of 24 to 64 bytes', () => {
    for (const malformed of ['whsec_', 'whsec_not base64!', `whsec_${Buffer.alloc(8).toString('base64')}`]) {
      expect(() => signWebhook(malformed, id, timestamp, body), malformed).toThrow(/whsec_ followed by base64/);
      expect(() => verifyWebhook(malformed, signatureHeaders(secret, id, timestamp, body), body)).toThrow(
        expect.objectContaining({ code: 'INVALID_SECRET' }),
      );
    }
  });
});
