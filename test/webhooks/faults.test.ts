import { WebhookDispatcher } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import {
  deliveryOf,
  eventually,
  orderPlaced,
  receiver,
  recordingLogger,
  settled,
  subscriptionTo,
  webhooks,
} from './harness.js';

describe('webhook receivers that misbehave', () => {
  it('resets the connection: the attempt records the reset, the retry delivers', async () => {
    const { running, received, url } = await receiver((n) => (n === 1 ? 'reset' : 200));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivery.history[0]).toMatchObject({ outcome: 'failed', error: { code: 'UNREACHABLE' } });
    expect(delivery.history[0]?.error?.message).toMatch(/ECONNRESET|socket|closed/i);
    expect(received).toHaveLength(2);
  });

  it('answers with bytes that are not HTTP: a failed attempt, then a delivery', async () => {
    const { running, url } = await receiver((n) => (n === 1 ? 'garbage' : 204));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivery.history[0]?.outcome).toBe('failed');
    expect(delivery.history[0]?.status).toBeUndefined();
    expect(delivery.history[0]?.error?.message).toEqual(expect.any(String));
    expect(delivery.history[1]).toMatchObject({ outcome: 'delivered', status: 204 });
  });

  it('answers 2xx with a huge garbage body: delivered, and only 2 KiB of it kept', async () => {
    const { running, url } = await receiver(() => ({ status: 200, body: '\u0000<html>'.repeat(200_000) }));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivery.history).toHaveLength(1);
    expect(delivery.history[0]?.responseExcerpt?.length).toBeGreaterThan(0);
    expect(delivery.history[0]?.responseExcerpt?.length).toBeLessThanOrEqual(2048);
  });

  it('answers slowly: within the response timeout it delivers, past it the attempt times out', async () => {
    const { running, received, url } = await receiver((n) => ({ status: 200, delayMs: n === 1 ? 1500 : 100 }));
    await using _receiver = running;
    await using hooks = await webhooks({ timeouts: { connectMs: 1000, responseMs: 500 } });
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivery.history[0]?.error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/timeout/) });
    expect(received).toHaveLength(2);
  });

  it('takes the deprecated timeout option as timeouts, and refuses both at once', async () => {
    const { running, url } = await receiver(() => 'hang');
    await using _receiver = running;
    await using hooks = await webhooks({ timeout: { connectMs: 1000, responseMs: 300 } });
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { attempts: 1 });
    expect(delivery.history[0]?.error?.message).toMatch(/timeout/);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated alias is what this checks
    expect(() => new WebhookDispatcher({ store: hooks.store, timeouts: 1000, timeout: 1000 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe('webhook shutdown and secrets', () => {
  it('close() lets the attempt in flight finish and records it; the next process does not send it again', async () => {
    const { running, received, url } = await receiver(() => ({ status: 200, delayMs: 400 }));
    await using _receiver = running;
    const hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    await eventually(() => received.length === 1);
    await hooks.dispatcher.close();
    expect(await deliveryOf(hooks.dispatcher, status?.deliveryId)).toMatchObject({ state: 'delivered', attempts: 1 });
    await expect(hooks.dispatcher.deliverEvent(orderPlaced('o-2'))).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await hooks.dispatcher.healthCheck()).toBe(false);
    await hooks.close();
    expect(received).toHaveLength(1);
  });

  it('never logs a secret, a password or a token, whatever goes wrong', async () => {
    const { running, url } = await receiver((n) => (n % 2 === 1 ? 'reset' : 500));
    await using _receiver = running;
    const logger = recordingLogger();
    await using hooks = await webhooks({
      logger,
      callbacks: { broken: () => Promise.reject(new Error('callback failed')) },
    });
    const basic = await hooks.subscriptions.create(
      subscriptionTo(url, {
        auth: { type: 'basic', username: 'shop', password: 'basic-password-never-logged' },
        callback: 'broken',
      }),
    );
    const bearer = await hooks.subscriptions.create(
      subscriptionTo(`${url}?bearer`, {
        auth: { type: 'bearer', token: 'bearer-token-never-logged' },
        callback: 'missing',
      }),
    );
    const statuses = await hooks.dispatcher.deliverEvent(orderPlaced());
    for (const status of statuses) await settled(hooks.dispatcher, status.deliveryId);
    const logged = JSON.stringify(logger.entries, (_key, value: unknown) =>
      value instanceof Error ? { message: value.message, stack: value.stack, cause: String(value.cause) } : value,
    );
    expect(logger.entries.length).toBeGreaterThan(3);
    for (const secretValue of [
      basic.secret,
      bearer.secret,
      'basic-password-never-logged',
      'bearer-token-never-logged',
    ]) {
      expect(logged).not.toContain(secretValue);
    }
    expect(logged).not.toContain(Buffer.from('shop:basic-password-never-logged').toString('base64'));
  });
});
