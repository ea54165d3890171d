import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import { webhookDeliveryId, type WebhookStore } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, subscriptionTo, webhooks } from './harness.js';
import { storeBackends } from './store-backends.js';

// deliverEvents on each store against a real server: one store call for the whole batch, the
// statuses and ids deliverEvent gives, every delivery made once, and nothing stored for a bad batch.

const backends = storeBackends('batch');

/** Counts the calls a store gets for enqueueing and for looking up active subscriptions. */
function countCalls(store: WebhookStore): { batches: number[]; lookups: string[] } {
  const calls = { batches: [] as number[], lookups: [] as string[] };
  const { deliveries, subscriptions } = store;
  const enqueueBatch = deliveries.enqueueBatch.bind(deliveries);
  const enqueue = deliveries.enqueue.bind(deliveries);
  const active = subscriptions.activeSubscriptionsFor.bind(subscriptions);
  deliveries.enqueueBatch = (entries, options) => {
    calls.batches.push(entries.length);
    return enqueueBatch(entries, options);
  };
  deliveries.enqueue = (entry, options) => {
    calls.batches.push(1);
    return enqueue(entry, options);
  };
  subscriptions.activeSubscriptionsFor = (eventType) => {
    calls.lookups.push(eventType);
    return active(eventType);
  };
  return calls;
}

const shipped = (orderId: string): PublishedEvent =>
  createPublishedEvent({ name: 'order:shipped', payload: { orderId } });

describe.each(backends)('deliverEvents on %s', (_name, open) => {
  it('stores a whole batch in one store call, one lookup per event type, and delivers each pair once', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks(open === undefined ? {} : { open });
    const first = await hooks.subscriptions.create(subscriptionTo(`${url}/first`));
    const second = await hooks.subscriptions.create(subscriptionTo(`${url}/second`));
    const onShipped = await hooks.subscriptions.create(
      subscriptionTo(`${url}/shipped`, { eventType: 'order:shipped' }),
    );
    const calls = countCalls(hooks.store);
    const [a, b, c] = [orderPlaced('a'), shipped('b'), orderPlaced('c')];
    const nobody = createPublishedEvent({ name: 'order:cancelled', payload: {} });

    const statuses = await hooks.dispatcher.deliverEvents([a, b, nobody, c, a]);
    expect(calls.batches).toEqual([7]);
    expect(calls.lookups.sort()).toEqual(['order:cancelled', 'order:placed', 'order:shipped']);
    const pending = (event: PublishedEvent, ...ids: string[]) =>
      ids.map((id) => ({ subscriptionId: id, deliveryId: webhookDeliveryId(id, event.id), state: 'pending' }));
    expect(statuses).toEqual([
      pending(a, first.id, second.id),
      pending(b, onShipped.id),
      [],
      pending(c, first.id, second.id),
      // The same event twice in a batch is stored once.
      pending(a, first.id, second.id).map((status) => ({ ...status, state: 'duplicate' })),
    ]);
    // deliverEvent is the batch of one: the same ids, and what the batch stored is a duplicate.
    expect(await hooks.dispatcher.deliverEvent(c)).toEqual(
      pending(c, first.id, second.id).map((status) => ({ ...status, state: 'duplicate' })),
    );

    await eventually(() => received.length >= 5);
    await eventually(async () => (await hooks.dispatcher.outbox.pendingCount()) === 0);
    expect(received.map((request) => request.headers['webhook-id']).sort()).toEqual(
      [a.id, a.id, b.id, c.id, c.id].sort(),
    );
    for (const [event, subscription] of [
      [a, first],
      [a, second],
      [b, onShipped],
      [c, first],
      [c, second],
    ] as const) {
      const delivery = await hooks.dispatcher.getDelivery(webhookDeliveryId(subscription.id, event.id));
      expect(delivery).toMatchObject({ state: 'delivered', subscriptionId: subscription.id, eventId: event.id });
    }
  });

  it('stores nothing of a batch with one event JSON cannot carry, naming it', async () => {
    await using hooks = await webhooks({ ...(open === undefined ? {} : { open }), startWorker: false });
    await hooks.subscriptions.create(subscriptionTo('http://127.0.0.1:9/hooks'));
    const broken = { ...orderPlaced('broken'), payload: { total: () => 1 } } as unknown as PublishedEvent;
    await expect(hooks.dispatcher.deliverEvents([orderPlaced('fine'), broken])).rejects.toMatchObject({
      code: 'SERIALIZATION_FAILED',
      message: expect.stringContaining('event 1 of the batch') as string,
    });
    expect(await hooks.dispatcher.outbox.pendingCount()).toBe(0);
  });

  it('checks every delivery of a batch past 1,000 before storing any, and stores a good one in whole events', async () => {
    await using hooks = await webhooks({ ...(open === undefined ? {} : { open }), startWorker: false });
    const subscription = await hooks.subscriptions.create(subscriptionTo('http://127.0.0.1:9/hooks'));
    const calls = countCalls(hooks.store);
    const many = Array.from({ length: 1200 }, (_, index) => orderPlaced(`o-${index}`));
    // Its delivery id (subscription id + event id) is longer than an outbox entry id may be.
    const tooLong = createPublishedEvent({ name: 'order:placed', id: 'x'.repeat(190), payload: {} });
    await expect(hooks.dispatcher.deliverEvents([...many, tooLong])).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(calls.batches).toEqual([]);
    expect(await hooks.dispatcher.outbox.pendingCount()).toBe(0);

    const statuses = await hooks.dispatcher.deliverEvents(many);
    expect(calls.batches).toEqual([1000, 200]);
    expect(statuses.flat().filter((status) => status.state === 'pending')).toHaveLength(1200);
    expect(statuses[1199]).toEqual([
      {
        subscriptionId: subscription.id,
        deliveryId: webhookDeliveryId(subscription.id, many[1199]!.id),
        state: 'pending',
      },
    ]);
    expect(await hooks.dispatcher.outbox.pendingCount()).toBe(1200);
  });

  it('answers an empty batch without the store, and refuses a closed dispatcher', async () => {
    await using hooks = await webhooks({ ...(open === undefined ? {} : { open }), startWorker: false });
    const calls = countCalls(hooks.store);
    expect(await hooks.dispatcher.deliverEvents([])).toEqual([]);
    expect(calls).toEqual({ batches: [], lookups: [] });
    await hooks.dispatcher.close();
    await expect(hooks.dispatcher.deliverEvents([orderPlaced()])).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
