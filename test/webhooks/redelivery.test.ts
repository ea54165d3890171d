import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { orderPlaced, receiver, secret, settled, subscriptionTo, webhooks } from './harness.js';

describe('webhook redelivery', () => {
  it('sends the same webhook-id on every retry and on redelivery, each attempt signed anew', async () => {
    let accepting = false;
    const official = new Webhook(secret);
    const { running, received, url } = await receiver((_n, request) => {
      // The official library judges every request: a bad signature would be a 401, never a 200.
      try {
        official.verify(request.body, request.headers as Record<string, string>);
      } catch {
        return 401;
      }
      return accepting ? 200 : 500;
    });
    await using _receiver = running;
    await using hooks = await webhooks();
    const subscription = await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 1100, maxAttempts: 2 } } }),
    );
    const event = orderPlaced();
    const [status] = await hooks.dispatcher.deliverEvent(event);
    const givenUp = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(givenUp.history.map((attempt) => attempt.status)).toEqual([500, 500]);

    accepting = true;
    expect(await hooks.dispatcher.redeliver({ subscriptionId: subscription.id })).toBe(1);
    const delivered = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivered.history.at(-1)).toMatchObject({ outcome: 'delivered', status: 200 });

    expect(received).toHaveLength(3);
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([event.id, event.id, event.id]);
    // A timestamp per attempt (in seconds: the retry waited more than one), and so a new signature.
    const [first = 0, retry = 0, redelivery = 0] = received.map((request) =>
      Number(request.headers['webhook-timestamp']),
    );
    expect(retry).toBeGreaterThan(first);
    expect(redelivery).toBeGreaterThanOrEqual(retry);
    expect(received[1]?.headers['webhook-signature']).not.toBe(received[0]?.headers['webhook-signature']);
    expect(new Set(received.map((request) => request.body)).size).toBe(1);
  });

  it('purges undelivered deliveries of a subscription, and only those', async () => {
    const { running, url } = await receiver(() => 500);
    await using _receiver = running;
    await using hooks = await webhooks();
    const failing = await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } } }),
    );
    const other = await hooks.subscriptions.create(
      subscriptionTo(`${url}?other`, { retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } } }),
    );
    const statuses = await hooks.dispatcher.deliverEvent(orderPlaced());
    for (const status of statuses) await settled(hooks.dispatcher, status.deliveryId, { state: 'undelivered' });

    expect(await hooks.dispatcher.purge({ subscriptionId: failing.id })).toBe(1);
    const byId = new Map(statuses.map((status) => [status.subscriptionId, status.deliveryId]));
    expect(await hooks.dispatcher.getDelivery(byId.get(failing.id) ?? '')).toBeUndefined();
    expect(await hooks.dispatcher.getDelivery(byId.get(other.id) ?? '')).toMatchObject({ state: 'undelivered' });
    const page = await hooks.dispatcher.listDeliveries({ state: 'undelivered' });
    expect(page.deliveries.map((delivery) => delivery.subscriptionId)).toEqual([other.id]);
  });
});

describe('Retry-After', () => {
  it('waits at least as long as a 429 asks before the next attempt', async () => {
    const { running, received, url } = await receiver((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : 200,
    );
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 3 } } }),
    );
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivery.history.map((attempt) => attempt.status)).toEqual([429, 200]);
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
  });
});
