import {
  generateWebhookSecret,
  isWebhookError,
  signatureHeaders,
  verifyWebhook,
  WebhookSubscriptions,
} from '@events-protocol/webhooks';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { memoryStore, orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';

// The official Standard Webhooks library is the judge of whether our secrets and signatures are
// the scheme's: every secret form we accept must work with it in both directions.

const secretBytes = fc
  .integer({ min: 24, max: 64 })
  .chain((length) => fc.uint8Array({ minLength: length, maxLength: length }));
const toSecret = (bytes: Uint8Array): string => `whsec_${Buffer.from(bytes).toString('base64')}`;
const messageId = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const body = fc.jsonValue().map((value) => JSON.stringify(value));

describe('webhook secrets and signatures against the standardwebhooks library', () => {
  it('our signatures verify with Webhook.verify, for every secret length we accept', () => {
    fc.assert(
      fc.property(secretBytes, messageId, body, (bytes, id, payload) => {
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = signatureHeaders(toSecret(bytes), id, timestamp, payload);
        expect(() => new Webhook(toSecret(bytes)).verify(payload, headers, { jsonParse: false })).not.toThrow();
        expect(() => new Webhook(Buffer.from(bytes), { format: 'raw' }).verify(payload, headers)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('their signatures verify with verifyWebhook, and a changed body or another secret does not', () => {
    fc.assert(
      fc.property(secretBytes, secretBytes, messageId, body, (bytes, otherBytes, id, payload) => {
        const now = new Date();
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': new Webhook(toSecret(bytes)).sign(id, now, payload),
        };
        expect(verifyWebhook(toSecret(bytes), headers, payload)).toMatchObject({ valid: true, id });
        expect(verifyWebhook(toSecret(bytes), headers, Buffer.from(payload))).toMatchObject({ valid: true });
        expect(verifyWebhook(toSecret(bytes), headers, `${payload} `)).toEqual({
          valid: false,
          reason: 'invalid-signature',
        });
        if (Buffer.compare(Buffer.from(bytes), Buffer.from(otherBytes)) !== 0) {
          expect(verifyWebhook(toSecret(otherBytes), headers, payload)).toMatchObject({ valid: false });
        }
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('a real delivery verifies with Webhook.verify at the receiver', async () => {
    const secret = generateWebhookSecret();
    const official = new Webhook(secret);
    const { running, received, url } = await receiver((_n, request) => {
      try {
        official.verify(request.body, request.headers as Record<string, string>);
        return 204;
      } catch {
        return 401;
      }
    });
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url, { secret }));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId);
    expect(delivery).toMatchObject({ state: 'delivered', history: [{ status: 204 }] });
    expect(received).toHaveLength(1);
  });

  it('generates a secret when none is given: whsec_ and 32 random bytes the library accepts', async () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
      expect(() => new Webhook(secret)).not.toThrow();
    }
    const store = await memoryStore();
    const { secret: _omitted, ...withoutSecret } = subscriptionTo('https://hooks.example.com/orders');
    const created = await new WebhookSubscriptions(store).create(withoutSecret);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(created.secret)).not.toThrow();
    await store.close();
  });

  it('refuses every other secret form with an error that says what a secret must be', async () => {
    const store = await memoryStore();
    const subscriptions = new WebhookSubscriptions(store);
    const bytes = (length: number) => Buffer.alloc(length, 7).toString('base64');
    for (const secret of [
      'a-plain-string-of-more-than-24-characters',
      'whsec_',
      `whsec_${bytes(16)}`,
      `whsec_${bytes(65)}`,
      `whsec_${bytes(32).replace(/=+$/, '')}`,
      `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`,
      `whsec_${bytes(32)} `,
      ` whsec_${bytes(32)}`,
    ]) {
      const error: unknown = await subscriptions.create(subscriptionTo('https://hooks.example.com/x', { secret })).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isWebhookError(error), secret).toBe(true);
      expect(error, secret).toMatchObject({
        code: 'INVALID_SUBSCRIPTION',
        issues: [{ path: 'secret', message: expect.stringMatching(/whsec_ followed by base64 of 24 to 64 bytes/) }],
      });
    }
    expect(await subscriptions.list()).toEqual([]);
    await store.close();
  });
});
