import { WebhookDeliveries, WebhookDispatcher, type EndpointDisabledNotice } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { endpointTestStores, movableClock } from './endpoint-stores.js';
import {
  eventually,
  orderPlaced,
  receiver,
  recordingLogger,
  settled,
  subscriptionTo,
  webhooks,
  type HarnessOptions,
} from './harness.js';

// Every rule of the endpoint policy over real HTTP, with a receiver that fails (500 or a closed
// connection), on each store against its real server.

const retrying = { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 50 } };

describe.each(endpointTestStores())('the endpoint policy on $name', (testStore) => {
  async function hooks(options: HarnessOptions) {
    const opened = await testStore.open();
    const harness = await webhooks({ ...options, open: () => Promise.resolve(opened.store) });
    const close = async () => {
      await harness.close();
      await opened.cleanup();
    };
    return { ...harness, peer: opened.peer, close, [Symbol.asyncDispose]: close };
  }

  it('disables an endpoint after N consecutive failures: once, logged, and nothing more is sent to it', async () => {
    const { running, received, url } = await receiver(() => 500);
    await using _receiver = running;
    const notices: EndpointDisabledNotice[] = [];
    const logger = recordingLogger();
    await using api = await hooks({
      logger,
      endpointPolicy: { disableAfterFailures: 3, onEndpointDisabled: (notice) => void notices.push(notice) },
    });
    const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: retrying }));
    const [status] = await api.dispatcher.deliverEvent(orderPlaced('o-1'));
    const delivery = await settled(api.dispatcher, status?.deliveryId, { state: 'undelivered' });
    // Three failed attempts, then the sink refuses the now disabled subscription (not counted, not sent).
    expect(delivery.history.map((attempt) => attempt.error?.code)).toEqual([
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'UNDELIVERABLE',
    ]);
    expect(received).toHaveLength(3);
    expect(notices).toEqual([
      {
        subscriptionId: subscription.id,
        eventType: 'order:placed',
        targetUrl: subscription.targetUrl,
        reason: 'consecutive-failures',
        consecutiveFailures: 3,
        failingSince: new Date(delivery.history[0]!.at),
        disabledAt: expect.any(Date) as Date,
      },
    ]);
    const stored = await api.subscriptions.get(subscription.id);
    expect(stored).toMatchObject({ active: false, disabled: { automatic: true } });
    expect(stored.disabled?.reason).toContain('3 consecutive failed attempts');
    expect(await api.subscriptions.health(subscription.id)).toMatchObject({ consecutiveFailures: 3, failed: 3 });
    expect((await api.subscriptions.listEndpoints()).map((endpoint) => endpoint.state)).toEqual(['disabled']);
    expect(
      logger.entries.filter((entry) => entry.level === 'warn' && entry.message?.includes('disabled after')),
    ).toHaveLength(1);
    // Later events are not sent: the subscription is no longer among the event type's active ones.
    expect(await api.dispatcher.deliverEvent(orderPlaced('o-2'))).toEqual([]);
    expect(received).toHaveLength(3);
  });

  it('re-enables: health starts again, new events flow, and recover sends what was given up meanwhile', async () => {
    let failing = true;
    const { running, received, url } = await receiver(() => (failing ? 500 : 204));
    await using _receiver = running;
    const notices: EndpointDisabledNotice[] = [];
    await using api = await hooks({
      endpointPolicy: { disableAfterFailures: 2, onEndpointDisabled: (notice) => void notices.push(notice) },
    });
    const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: retrying }));
    const before = new Date();
    const [first] = await api.dispatcher.deliverEvent(orderPlaced('given-up'));
    await settled(api.dispatcher, first?.deliveryId, { state: 'undelivered' });
    expect(notices).toHaveLength(1);

    failing = false;
    const enabled = await api.subscriptions.enable(subscription.id);
    expect(enabled.active).toBe(true);
    expect(enabled.disabled).toBeUndefined();
    expect(await api.subscriptions.health(subscription.id)).toEqual({
      subscriptionId: subscription.id,
      consecutiveFailures: 0,
      delivered: 0,
      failed: 0,
    });
    const [next] = await api.dispatcher.deliverEvent(orderPlaced('after-enable'));
    expect(await settled(api.dispatcher, next?.deliveryId)).toMatchObject({ state: 'delivered' });
    expect(await new WebhookDeliveries(api.dispatcher.outbox).recover(subscription.id, before)).toBe(1);
    expect(await settled(api.dispatcher, first?.deliveryId, { state: 'delivered' })).toMatchObject({
      state: 'delivered',
    });
    const orderIds = received
      .filter((_, index) => index >= 2)
      .map((request) => (JSON.parse(request.body) as { payload: { orderId: string } }).payload.orderId);
    expect(orderIds).toEqual(['after-enable', 'given-up']);
    expect(await api.subscriptions.health(subscription.id)).toMatchObject({ consecutiveFailures: 0, delivered: 2 });
    expect((await api.subscriptions.listEndpoints())[0]).toMatchObject({ state: 'active', successRate: 1 });
    expect(notices).toHaveLength(1);
  });

  it('recovers exactly the deliveries given up at or after T, and they arrive', async () => {
    const clock = movableClock();
    let failing = true;
    const { running, received, url } = await receiver(() => (failing ? 500 : 204));
    await using _receiver = running;
    await using api = await hooks({ now: clock.now });
    const once = { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } };
    const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: once }));
    const other = await api.subscriptions.create(subscriptionTo(`${url}/other`, { retry: once }));
    const undelivered = async (orderId: string) => {
      const statuses = await api.dispatcher.deliverEvent(orderPlaced(orderId));
      for (const status of statuses) await settled(api.dispatcher, status.deliveryId, { state: 'undelivered' });
      return statuses.find((status) => status.subscriptionId === subscription.id)?.deliveryId;
    };
    const before = await undelivered('before-t');
    clock.advance(60 * 60 * 1000);
    const since = new Date(clock.now());
    const after = [await undelivered('after-t-1'), await undelivered('after-t-2')];
    failing = false;
    const deliveries = new WebhookDeliveries(api.dispatcher.outbox);
    expect(await deliveries.recover(subscription.id, since)).toBe(2);
    for (const id of after)
      expect(await settled(api.dispatcher, id, { state: 'delivered' })).toMatchObject({ state: 'delivered' });
    expect((await api.dispatcher.getDelivery(before ?? ''))?.state).toBe('undelivered');
    // The other subscription's deliveries given up after T stay as they are.
    expect(
      (await api.dispatcher.listDeliveries({ subscriptionId: other.id, state: 'undelivered' })).deliveries,
    ).toHaveLength(3);
    const recovered = received
      .slice(6)
      .map((request) => (JSON.parse(request.body) as { payload: { orderId: string } }).payload.orderId);
    expect(recovered.sort()).toEqual(['after-t-1', 'after-t-2']);
    await expect(deliveries.recover(subscription.id, new Date('not a date'))).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('disables an endpoint that has failed without a success for D, on the dispatcher clock', async () => {
    const clock = movableClock();
    const { running, received, url } = await receiver(() => 'reset');
    await using _receiver = running;
    const notices: EndpointDisabledNotice[] = [];
    const hour = 60 * 60 * 1000;
    await using api = await hooks({
      now: clock.now,
      endpointPolicy: { disableAfterMs: hour, onEndpointDisabled: (notice) => void notices.push(notice) },
    });
    const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: retrying }));
    const [status] = await api.dispatcher.deliverEvent(orderPlaced());
    await eventually(async () => (await api.subscriptions.health(subscription.id)).failed >= 2);
    expect((await api.subscriptions.get(subscription.id)).active).toBe(true);
    expect(notices).toEqual([]);
    clock.advance(2 * hour);
    const delivery = await settled(api.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(delivery.history.at(-1)?.error?.code).toBe('UNDELIVERABLE');
    expect(delivery.history.slice(0, -1).every((attempt) => attempt.error?.code === 'UNREACHABLE')).toBe(true);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ subscriptionId: subscription.id, reason: 'failing-too-long' });
    expect(notices[0]!.disabledAt.getTime() - notices[0]!.failingSince.getTime()).toBeGreaterThanOrEqual(hour);
    expect(await api.subscriptions.get(subscription.id)).toMatchObject({
      active: false,
      disabled: { automatic: true },
    });
    expect(received.length).toBe(delivery.history.length - 1);
  });

  it('disables once with two dispatchers on the same store, both failing', async () => {
    const { running, received, url } = await receiver(() => 503);
    await using _receiver = running;
    const notices: EndpointDisabledNotice[] = [];
    const endpointPolicy = {
      disableAfterFailures: 4,
      onEndpointDisabled: (notice: EndpointDisabledNotice) => void notices.push(notice),
    };
    await using api = await hooks({ endpointPolicy });
    const peerStore = api.peer();
    const other = new WebhookDispatcher({
      store: peerStore,
      endpointPolicy,
      targetPolicy: { allowPrivateNetworks: true },
      pollIntervalMs: 50,
      timeouts: 2000,
    });
    try {
      const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: retrying }));
      const statuses = await api.dispatcher.deliverEvents(
        Array.from({ length: 6 }, (_, index) => orderPlaced(`o-${index}`)),
      );
      for (const [status] of statuses) await settled(api.dispatcher, status?.deliveryId, { state: 'undelivered' });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ subscriptionId: subscription.id, reason: 'consecutive-failures' });
      expect((await api.subscriptions.get(subscription.id)).active).toBe(false);
      expect(received.length).toBeGreaterThanOrEqual(4);
    } finally {
      await other.close();
      await peerStore.close();
    }
  });

  it('does not count refusals of its own: a paused subscription stays healthy', async () => {
    const { running, received, url } = await receiver(() => 500);
    await using _receiver = running;
    const notices: EndpointDisabledNotice[] = [];
    await using api = await hooks({
      startWorker: false,
      endpointPolicy: { disableAfterFailures: 1, onEndpointDisabled: (notice) => void notices.push(notice) },
    });
    const subscription = await api.subscriptions.create(subscriptionTo(url, { retry: retrying }));
    const [stored] = await api.dispatcher.deliverEvent(orderPlaced('o-paused'));
    await api.subscriptions.update(subscription.id, { active: false });
    expect(await api.dispatcher.deliverEvent(orderPlaced('o-later'))).toEqual([]);
    // The delivery stored before the pause is refused UNDELIVERABLE: not the endpoint's failure.
    api.dispatcher.start();
    expect(await settled(api.dispatcher, stored?.deliveryId, { state: 'undelivered' })).toMatchObject({
      history: [{ error: { code: 'UNDELIVERABLE' } }],
    });
    expect(received).toHaveLength(0);
    expect(await api.subscriptions.health(subscription.id)).toMatchObject({ consecutiveFailures: 0, failed: 0 });
    expect((await api.subscriptions.listEndpoints())[0]?.state).toBe('paused');
    expect(notices).toEqual([]);
  });
});
