import { describe, expect, it } from 'vitest';
import { orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';
import { serverStoreBackends } from './store-backends.js';

// The delivery behaviour the SQLite tests check in depth, once on each of the other stores: the
// engine is the same, so these check the stores carry it (entry ids, topics, history, redelivery).

const backends = serverStoreBackends('hooks');

describe.each(backends)('webhook delivery on %s', (_name, open) => {
  it('retries on the schedule, records every attempt, and redelivers with the same webhook-id', async () => {
    let accepting = false;
    const { running, received, url } = await receiver((n) => (n === 1 ? 500 : accepting ? 200 : 503));
    await using _receiver = running;
    await using hooks = await webhooks({ open });
    const subscription = await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 2 } } }),
    );
    const event = orderPlaced();
    const [status] = await hooks.dispatcher.deliverEvent(event);
    expect(status).toMatchObject({ subscriptionId: subscription.id, state: 'pending' });
    expect((await hooks.dispatcher.deliverEvent(event))[0]?.state).toBe('duplicate');

    const givenUp = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(givenUp.history.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 503],
    ]);
    const listed = await hooks.dispatcher.listDeliveries({ subscriptionId: subscription.id, state: 'undelivered' });
    expect(listed.deliveries.map((delivery) => delivery.id)).toEqual([status?.deliveryId]);

    accepting = true;
    expect(await hooks.dispatcher.redeliver({ ids: [status?.deliveryId ?? ''] })).toBe(1);
    const delivered = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(delivered).toMatchObject({ eventId: event.id, subscriptionId: subscription.id });
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([event.id, event.id, event.id]);
  });

  it('ends a deleted subscription’s pending delivery as undelivered, UNDELIVERABLE, sending nothing', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks({ open, startWorker: false });
    const subscription = await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    await hooks.subscriptions.delete(subscription.id);
    hooks.dispatcher.start();
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(delivery.history).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: 'UNDELIVERABLE' }) }),
    ]);
    expect(received).toHaveLength(0);
  });
});
