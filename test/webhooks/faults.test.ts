import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, recordingLogger, subscriptionTo, webhooks } from './harness.js';

const deliveredOrGivenUp = (state: string | undefined) => state === 'delivered' || state === 'given_up';

describe('webhook receivers that misbehave', () => {
  it('resets the connection: the attempt records the reset, the retry delivers', async () => {
    const { running, received, url } = await receiver((n) => (n === 1 ? 'reset' : 200));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    const [first] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(first?.state).toBe('failed');
    expect(first?.response?.error).toMatch(/ECONNRESET|socket|closed/i);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
    expect(received).toHaveLength(2);
  });

  it('answers with bytes that are not HTTP: a failed attempt, then a delivery', async () => {
    const { running, url } = await receiver((n) => (n === 1 ? 'garbage' : 204));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    const [first] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(first).toMatchObject({ state: 'failed', response: { ok: false } });
    expect(first?.response?.status).toBeUndefined();
    expect(first?.response?.error).toEqual(expect.any(String));
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
  });

  it('answers 2xx with a huge garbage body: delivered, and only 2 KiB of it kept', async () => {
    const { running, url } = await receiver(() => ({ status: 200, body: '\u0000<html>'.repeat(200_000) }));
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    const [status] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(status?.state).toBe('delivered');
    const [attempt] = await hooks.store.listAttempts({ eventId: event.id });
    expect(attempt?.responseExcerpt?.length).toBeLessThanOrEqual(2048);
  });

  it('answers slowly: within the response timeout it delivers, past it the attempt times out', async () => {
    const { running, received, url } = await receiver((n) => ({ status: 200, delayMs: n === 1 ? 1500 : 100 }));
    await using _receiver = running;
    await using hooks = await webhooks({ timeout: { connectMs: 1000, responseMs: 500 } });
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    const [first] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(first?.response?.error).toMatch(/timeout/);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
    expect(received).toHaveLength(2);
  });
});

describe('webhook shutdown and secrets', () => {
  it('close() lets the attempt in flight finish and records it; the next process does not send it again', async () => {
    const { running, received, url } = await receiver(() => ({ status: 200, delayMs: 400 }));
    await using _receiver = running;
    const hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    await hooks.dispatcher.deliverEvent(event);
    await eventually(() => received.length === 1);
    await hooks.dispatcher.close();
    expect((await hooks.store.listDeliveries({ eventId: event.id }))[0]).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
    await expect(hooks.dispatcher.deliverEvent(orderPlaced('o-2'))).rejects.toMatchObject({ code: 'CLOSED' });
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
    const event = orderPlaced();
    await hooks.dispatcher.deliverEvent(event);
    await eventually(async () =>
      (await hooks.store.listDeliveries({ eventId: event.id })).every((delivery) => deliveredOrGivenUp(delivery.state)),
    );
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
