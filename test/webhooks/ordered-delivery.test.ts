import { describe, expect, it } from 'vitest';
import { orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';
import { storeBackends } from './store-backends.js';

// Ordered delivery over real HTTP, on each store: an ordered subscription's delivery is not
// attempted before the one stored before it is delivered or given up, whatever the worker's
// concurrency and batch size. Retries wait 600 ms, longer than an attempt held back in-process
// is put back for (250 ms), so only the store's ordering keeps the next event from going first.

const backends = storeBackends();

describe.each(backends)('ordered delivery on %s', (_name, open) => {
  const store = open === undefined ? {} : { open };

  it('sends the next event only once the one before it is delivered, in store order', async () => {
    const events = Array.from({ length: 5 }, (_, n) => orderPlaced(`o-${n}`));
    const first = events[0]?.id;
    let refusals = 0;
    const { running, received, url } = await receiver((_n, request) =>
      request.headers['webhook-id'] === first && refusals++ < 2 ? 500 : 200,
    );
    await using _receiver = running;
    await using hooks = await webhooks({ ...store, concurrency: 8 });
    await hooks.subscriptions.create(
      subscriptionTo(url, { ordered: true, retry: { schedule: 'fixed', options: { delayMs: 600, maxAttempts: 5 } } }),
    );
    const statuses = await hooks.dispatcher.deliverEvents(events);
    const ids = statuses.flat().map((status) => status.deliveryId);
    const delivered = await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

    expect(delivered.map((delivery) => delivery.state)).toEqual(ids.map(() => 'delivered'));
    // The first event failed twice and then passed; only then did the others go, one by one, in order.
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      first,
      first,
      ...events.map((event) => event.id),
    ]);
  });

  it('goes on with the next event once the one before it is given up', async () => {
    const events = Array.from({ length: 3 }, (_, n) => orderPlaced(`o-${n}`));
    const first = events[0]?.id;
    const { running, received, url } = await receiver((_n, request) =>
      request.headers['webhook-id'] === first ? 503 : 200,
    );
    await using _receiver = running;
    await using hooks = await webhooks({ ...store, concurrency: 8 });
    await hooks.subscriptions.create(
      subscriptionTo(url, { ordered: true, retry: { schedule: 'fixed', options: { delayMs: 600, maxAttempts: 2 } } }),
    );
    const statuses = await hooks.dispatcher.deliverEvents(events);
    const ids = statuses.flat().map((status) => status.deliveryId);
    const outcomes = await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

    expect(outcomes.map((delivery) => delivery.state)).toEqual(['undelivered', 'delivered', 'delivered']);
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      first,
      first,
      events[1]?.id,
      events[2]?.id,
    ]);
  });

  it('keeps an unordered subscription’s deliveries independent: a failing one does not hold the next', async () => {
    const events = Array.from({ length: 3 }, (_, n) => orderPlaced(`o-${n}`));
    const first = events[0]?.id;
    const { running, received, url } = await receiver((_n, request) =>
      request.headers['webhook-id'] === first ? 503 : 200,
    );
    await using _receiver = running;
    await using hooks = await webhooks({ ...store, concurrency: 8 });
    await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 300, maxAttempts: 2 } } }),
    );
    const statuses = await hooks.dispatcher.deliverEvents(events);
    const ids = statuses.flat().map((status) => status.deliveryId);
    await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

    // The others went before the first one's retry.
    const sent = received.map((request) => request.headers['webhook-id']);
    expect(sent.lastIndexOf(first)).toBe(3);
  });
});
