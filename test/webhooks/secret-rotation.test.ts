import {
  generateWebhookSecret,
  isWebhookError,
  signatureHeaders,
  signingSecrets,
  WebhookSubscriptions,
} from '@events-protocol/webhooks';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { endpointTestStores, movableClock } from './endpoint-stores.js';
import { memoryStore, orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';

// Rotation judged by the official Standard Webhooks library: during the overlap a receiver holding
// only the old secret and one holding only the new one both verify; after it, only the new one.

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('signatures with several secrets', () => {
  it('verify with Webhook.verify for each secret, and not for another', () => {
    const [current, previous, stranger] = [generateWebhookSecret(), generateWebhookSecret(), generateWebhookSecret()];
    const body = JSON.stringify({ orderId: 'o-1' });
    const headers = signatureHeaders([current, previous], 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifies(current, body, headers)).toBe(true);
    expect(verifies(previous, body, headers)).toBe(true);
    expect(verifies(stranger, body, headers)).toBe(false);
    expect(() => signatureHeaders([], 'msg_1', 0, body)).toThrow(/secret/);
  });

  it('are the current secret, then previous ones until they expire', () => {
    const at = Date.UTC(2026, 0, 1);
    const subscription = {
      secret: 'whsec_current',
      previousSecrets: [
        { secret: 'whsec_newer', expiresAt: new Date(at + 2000).toISOString() },
        { secret: 'whsec_older', expiresAt: new Date(at + 1000).toISOString() },
      ],
    };
    expect(signingSecrets(subscription, at)).toEqual(['whsec_current', 'whsec_newer', 'whsec_older']);
    expect(signingSecrets(subscription, at + 1000)).toEqual(['whsec_current', 'whsec_newer']);
    expect(signingSecrets(subscription, at + 2000)).toEqual(['whsec_current']);
    expect(signingSecrets({ secret: 'whsec_only' }, at)).toEqual(['whsec_only']);
  });
});

describe('rotateSecret', () => {
  it('refuses a bad overlap or secret with INVALID_SUBSCRIPTION naming it, and an unknown id', async () => {
    await using store = { value: await memoryStore(), [Symbol.asyncDispose]: () => store.value.close() };
    const subscriptions = new WebhookSubscriptions(store.value, { targetPolicy: { allowPrivateNetworks: true } });
    const subscription = await subscriptions.create(subscriptionTo('https://hooks.example.com/rotate'));
    for (const [options, path] of [
      [{ overlapMs: -1 }, 'overlapMs'],
      [{ overlapMs: 1.5 }, 'overlapMs'],
      [{ overlapMs: 31 * 24 * 3_600_000 }, 'overlapMs'],
      [{ secret: 'not-a-secret' }, 'secret'],
      [{ secret: subscription.secret }, 'secret'],
    ] as const) {
      const error: unknown = await subscriptions
        .rotateSecret(subscription.id, options)
        .catch((caught: unknown) => caught);
      expect(isWebhookError(error) && [error.code, error.issues[0]?.path]).toEqual(['INVALID_SUBSCRIPTION', path]);
    }
    const missing: unknown = await subscriptions.rotateSecret('ghost').catch((caught: unknown) => caught);
    expect(isWebhookError(missing) && missing.code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect(await subscriptions.get(subscription.id)).toEqual(subscription);
  });

  it('keeps at most the unexpired previous secrets, and none with a zero overlap', async () => {
    const clock = movableClock();
    await using store = { value: await memoryStore(), [Symbol.asyncDispose]: () => store.value.close() };
    const subscriptions = new WebhookSubscriptions(store.value, { now: clock.now });
    const { id, secret: first } = await subscriptions.create(subscriptionTo('https://hooks.example.com/keep'));
    const second = await subscriptions.rotateSecret(id, { overlapMs: 1000 });
    expect(second.subscription.previousSecrets).toEqual([
      { secret: first, expiresAt: new Date(Date.parse(second.subscription.updatedAt) + 1000).toISOString() },
    ]);
    clock.advance(2000);
    const third = await subscriptions.rotateSecret(id, { overlapMs: 60_000 });
    expect(third.subscription.previousSecrets?.map((previous) => previous.secret)).toEqual([second.secret]);
    const fourth = await subscriptions.rotateSecret(id, { overlapMs: 0 });
    expect(fourth.subscription.previousSecrets?.map((previous) => previous.secret)).toEqual([second.secret]);
    expect(await subscriptions.get(id)).toEqual(fourth.subscription);
    // The one answer that carries the new secret; everything shown outside masks previous ones.
    expect(fourth.secret).toBe(fourth.subscription.secret);
    expect(JSON.stringify((await subscriptions.listEndpoints())[0])).not.toContain(second.secret.slice(6, 20));
  });
});

describe.each(endpointTestStores())('secret rotation on $name', (testStore) => {
  it('signs with both secrets during the overlap, and only the new one after it', async () => {
    const clock = movableClock();
    const oldSecret = generateWebhookSecret();
    let newSecret = '';
    const verdicts: { old: boolean; new: boolean }[] = [];
    const { running, url } = await receiver((_n, request) => {
      const headers = request.headers as Record<string, string>;
      verdicts.push({
        old: verifies(oldSecret, request.body, headers),
        new: verifies(newSecret, request.body, headers),
      });
      return 204;
    });
    await using _receiver = running;
    const opened = await testStore.open();
    await using api = await webhooks({ now: clock.now, open: () => Promise.resolve(opened.store) });
    try {
      const subscriptions = new WebhookSubscriptions(api.store, {
        targetPolicy: { allowPrivateNetworks: true },
        now: clock.now,
      });
      const { id } = await subscriptions.create(subscriptionTo(url, { secret: oldSecret }));
      const rotated = await subscriptions.rotateSecret(id, { overlapMs: 60_000 });
      newSecret = rotated.secret;
      expect(rotated.subscription.secret).toBe(newSecret);
      const [during] = await api.dispatcher.deliverEvent(orderPlaced('during'));
      expect(await settled(api.dispatcher, during?.deliveryId)).toMatchObject({ state: 'delivered' });
      // Past the overlap (the signature's timestamp stays within the library's 5-minute tolerance).
      clock.advance(61_000);
      const [after] = await api.dispatcher.deliverEvent(orderPlaced('after'));
      expect(await settled(api.dispatcher, after?.deliveryId)).toMatchObject({ state: 'delivered' });
      expect(verdicts).toEqual([
        { old: true, new: true },
        { old: false, new: true },
      ]);
      // The next change drops the expired secret from the stored subscription.
      const paused = await subscriptions.update(id, { active: false });
      expect(paused.previousSecrets).toBeUndefined();
      expect((await opened.peer().subscriptions.getSubscription(id))?.previousSecrets).toBeUndefined();
    } finally {
      await opened.cleanup();
    }
  });
});
