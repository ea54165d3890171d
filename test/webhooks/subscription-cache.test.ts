import { maxSubscriptionCacheMs, WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { memoryStore, orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';
import { storeBackends } from './store-backends.js';

// The dispatcher reuses what it reads of subscriptions for up to a second: the active ones of an
// event type (to fan events out) and each one by id (to attempt). These check that the cache never
// makes a deleted or deactivated subscription receive a request.

const backends = storeBackends('cache');
const policy = { allowPrivateNetworks: true };

describe.each(backends)('the subscription cache on %s', (_name, open) => {
  it('stores and sends nothing more for a subscription deleted or deactivated in this process, at once', async () => {
    // The deleted subscription refuses `late`; its retry is due well inside the cache window.
    const { running, received, url } = await receiver((_n, request) =>
      request.headers['x-subscription'] === 'deleted' && request.body.includes('"late"') ? 500 : 200,
    );
    await using _receiver = running;
    await using hooks = await webhooks(open === undefined ? {} : { open });
    const retry = { schedule: 'fixed', options: { delayMs: 600, maxAttempts: 3 } };
    const paused = await hooks.subscriptions.create(subscriptionTo(`${url}/paused`));
    const deleted = await hooks.subscriptions.create(
      subscriptionTo(`${url}/deleted`, { retry, headers: { 'x-subscription': 'deleted' } }),
    );
    const warm = orderPlaced('warm');
    const [pausedWarm, deletedWarm] = (await hooks.dispatcher.deliverEvent(warm)).map((each) => each.deliveryId);
    await settled(hooks.dispatcher, pausedWarm, { state: 'delivered' });
    await settled(hooks.dispatcher, deletedWarm, { state: 'delivered' });
    const late = orderPlaced('late');
    const [pausedLate, lateStatus] = await hooks.dispatcher.deliverEvent(late);
    await settled(hooks.dispatcher, pausedLate?.deliveryId, { state: 'delivered' });
    await settled(hooks.dispatcher, lateStatus?.deliveryId, { attempts: 1 });

    // Another WebhookSubscriptions over the same store, as an admin router would have.
    const admin = new WebhookSubscriptions(hooks.store, { targetPolicy: policy });
    await admin.update(paused.id, { active: false });
    await admin.delete(deleted.id);
    expect(await hooks.dispatcher.deliverEvents([orderPlaced('after')])).toEqual([[]]);

    const ended = await settled(hooks.dispatcher, lateStatus?.deliveryId, { state: 'undelivered' });
    expect(ended.history.map((attempt) => attempt.status ?? attempt.error?.code)).toEqual([500, 'UNDELIVERABLE']);
    const lateRequests = received.filter((request) => request.body.includes('"late"'));
    // The paused subscription got `late` before it was paused; the deleted one only its failed first attempt.
    expect(lateRequests.map((request) => request.headers['webhook-id'])).toEqual([late.id, late.id]);
    expect(received.some((request) => request.body.includes('"after"'))).toBe(false);
  });

  it('refuses at send time what a stale lookup stored for a subscription changed elsewhere, and sees the change after the window', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    let ahead = 0;
    await using hooks = await webhooks({
      ...(open === undefined ? {} : { open }),
      startWorker: false,
      now: () => Date.now() + ahead,
    });
    const deleted = await hooks.subscriptions.create(subscriptionTo(`${url}/deleted`));
    const paused = await hooks.subscriptions.create(subscriptionTo(`${url}/paused`));
    const before = await hooks.dispatcher.deliverEvent(orderPlaced('before'));
    // Changed straight on the store, as another process would: this process's cache is not told.
    expect(await hooks.store.subscriptions.deleteSubscription(deleted.id)).toBe(true);
    await hooks.store.subscriptions.replaceSubscription({ ...paused, active: false });
    const stale = await hooks.dispatcher.deliverEvent(orderPlaced('stale'));
    expect(stale.map((status) => status.state)).toEqual(['pending', 'pending']);
    ahead = maxSubscriptionCacheMs;
    expect(await hooks.dispatcher.deliverEvents([orderPlaced('seen')])).toEqual([[]]);

    const worker = new WebhookDispatcher({
      store: hooks.store,
      targetPolicy: policy,
      pollIntervalMs: 50,
      timeouts: 2000,
    });
    try {
      for (const status of [...before, ...stale]) {
        const delivery = await settled(worker, status.deliveryId, { state: 'undelivered' });
        expect(delivery.history.map((attempt) => attempt.error?.code)).toEqual(['UNDELIVERABLE']);
      }
    } finally {
      await worker.close();
    }
    expect(received).toHaveLength(0);
  });
});

describe('subscriptionCacheMs', () => {
  it('reads the store for every batch when 0, so a change made elsewhere is seen by the next one', async () => {
    await using hooks = await webhooks({ subscriptionCacheMs: 0, startWorker: false });
    const subscription = await hooks.subscriptions.create(subscriptionTo('http://127.0.0.1:9/hooks'));
    expect(await hooks.dispatcher.deliverEvent(orderPlaced('a'))).toHaveLength(1);
    await hooks.store.subscriptions.deleteSubscription(subscription.id);
    expect(await hooks.dispatcher.deliverEvent(orderPlaced('b'))).toEqual([]);
  });

  it('is between 0 and maxSubscriptionCacheMs, or the dispatcher refuses it', async () => {
    const store = await memoryStore();
    try {
      for (const subscriptionCacheMs of [-1, maxSubscriptionCacheMs + 1, Number.NaN, Infinity]) {
        expect(() => new WebhookDispatcher({ store, subscriptionCacheMs, startWorker: false })).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTIONS' }) as Error,
        );
      }
      const kept = new WebhookDispatcher({ store, subscriptionCacheMs: maxSubscriptionCacheMs, startWorker: false });
      await kept.close();
    } finally {
      await store.close();
    }
  });
});
