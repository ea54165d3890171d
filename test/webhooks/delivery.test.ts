import { verifyWebhook, WebhookSink, type WebhookAttemptReport } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import {
  deliveryOf,
  eventually,
  orderPlaced,
  receiver,
  recordingLogger,
  secret,
  settled,
  subscriptionTo,
  webhooks,
} from './harness.js';

const gaps = (times: readonly number[]) => times.slice(1).map((time, index) => time - (times[index] ?? 0));

describe('webhook delivery', () => {
  it('retries a receiver that fails three times, on the fixed schedule, and records every attempt', async () => {
    const { running, received, url } = await receiver((n) => (n <= 3 ? 500 : 200));
    await using _receiver = running;
    await using hooks = await webhooks();
    const subscription = await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 150, maxAttempts: 5 } } }),
    );
    const event = orderPlaced();

    const statuses = await hooks.dispatcher.deliverEvent(event);
    expect(statuses).toEqual([{ subscriptionId: subscription.id, deliveryId: expect.any(String), state: 'pending' }]);
    const delivery = await settled(hooks.dispatcher, statuses[0]?.deliveryId, { state: 'delivered' });

    expect(received).toHaveLength(4);
    for (const gap of gaps(received.map((request) => request.at))) expect(gap).toBeGreaterThanOrEqual(140);
    expect(delivery.history.map((attempt) => [attempt.attempt, attempt.outcome, attempt.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
      [4, 'delivered', 200],
    ]);
    expect(delivery.history[0]).toMatchObject({
      responseExcerpt: 'refused #1',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      durationMs: expect.any(Number),
      error: { code: 'REJECTED' },
    });
    expect(delivery).toMatchObject({
      subscriptionId: subscription.id,
      eventId: event.id,
      eventType: 'order:placed',
      state: 'delivered',
      attempts: 4,
    });
    // Every attempt is the same message: same webhook-id (the event id) and body, a fresh signature.
    expect(new Set(received.map((request) => request.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(new Set(received.map((request) => request.body)).size).toBe(1);
  });

  it('spaces attempts by an exponential schedule and gives up after the last attempt', async () => {
    const { running, received, url } = await receiver(() => 503);
    await using _receiver = running;
    const logger = recordingLogger();
    await using hooks = await webhooks({ logger });
    await hooks.subscriptions.create(
      subscriptionTo(url, {
        retry: { schedule: 'exponential', options: { baseMs: 100, capMs: 300, jitter: 'none', maxAttempts: 4 } },
      }),
    );
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });

    expect(received).toHaveLength(4);
    const [first = 0, second = 0, third = 0] = gaps(received.map((request) => request.at));
    expect(first).toBeGreaterThanOrEqual(90);
    expect(second).toBeGreaterThanOrEqual(190);
    expect(third).toBeGreaterThanOrEqual(290);
    expect(delivery.history.map((attempt) => attempt.status)).toEqual([503, 503, 503, 503]);
    await eventually(() =>
      logger.entries.some(
        (entry) => entry.level === 'warn' && entry.message === 'webhook delivery given up after its last attempt',
      ),
    );
  });

  it('signs every request so that a verifying receiver accepts it, and a wrong secret is refused', async () => {
    const { running, received, url } = await receiver((_n, request) =>
      verifyWebhook(secret, request.headers, request.body).valid ? 204 : 401,
    );
    await using _receiver = running;
    await using hooks = await webhooks();
    const good = await hooks.subscriptions.create(
      subscriptionTo(url, {
        auth: { type: 'basic', username: 'shop', password: 'pw' },
        headers: { 'x-tenant': 'acme' },
      }),
    );
    const wrong = await hooks.subscriptions.create(
      subscriptionTo(`${url}?wrong-secret`, { secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` }),
    );
    const event = orderPlaced();

    const statuses = await hooks.dispatcher.deliverEvent(event);
    const byId = new Map(statuses.map((status) => [status.subscriptionId, status.deliveryId]));
    expect((await settled(hooks.dispatcher, byId.get(good.id))).history).toEqual([
      expect.objectContaining({ outcome: 'delivered', status: 204 }),
    ]);
    const refused = await settled(hooks.dispatcher, byId.get(wrong.id), { attempts: 1 });
    expect(refused.history[0]).toMatchObject({ outcome: 'failed', status: 401 });
    const signed = received.find((request) => request.headers.authorization !== undefined);
    expect(signed?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('shop:pw').toString('base64')}`,
      'x-tenant': 'acme',
      'webhook-id': event.id,
      'webhook-timestamp': expect.stringMatching(/^\d+$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
    });
    expect(JSON.parse(signed?.body ?? '{}')).toMatchObject({
      name: 'order:placed',
      id: event.id,
      payload: { orderId: 'o-1' },
    });
  });

  it('only records deliveries without a worker, and start() makes them', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks({ startWorker: false });
    await hooks.subscriptions.create(subscriptionTo(url));

    const [recorded] = await hooks.dispatcher.deliverEvent(orderPlaced('o-2'));
    expect(recorded?.state).toBe('pending');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(0);
    expect(await deliveryOf(hooks.dispatcher, recorded?.deliveryId)).toMatchObject({ state: 'pending', attempts: 0 });
    hooks.dispatcher.start();
    await settled(hooks.dispatcher, recorded?.deliveryId, { state: 'delivered' });
    expect(received).toHaveLength(1);
  });

  it('times out a hanging receiver and retries it', async () => {
    const { running, received, url } = await receiver((n) => (n === 1 ? 'hang' : 200));
    await using _receiver = running;
    await using hooks = await webhooks({ timeouts: { connectMs: 1000, responseMs: 300 } });
    await hooks.subscriptions.create(subscriptionTo(url));

    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(received).toHaveLength(2);
    const [attempt] = delivery.history;
    expect(attempt?.status).toBeUndefined();
    expect(attempt?.error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/timeout/) });
    expect(attempt?.durationMs).toBeLessThan(5000);
  });

  it('records a refused connection to a closed port and gives up on schedule', async () => {
    const closed = await listen(() => undefined);
    const url = `${closed.origin}/hooks`;
    await closed.close();
    await using hooks = await webhooks();
    await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 2 } } }),
    );
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(delivery.history.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    for (const attempt of delivery.history) {
      expect(attempt.status).toBeUndefined();
      expect(attempt.error?.code).toBe('UNREACHABLE');
      expect(attempt.error?.message).toMatch(/ECONNREFUSED/);
    }
  });

  it('delivers an event id once per subscription, however often and concurrently it is delivered', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    const subscription = await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();

    const results = (await Promise.all(Array.from({ length: 5 }, () => hooks.dispatcher.deliverEvent(event)))).flat();
    expect(results.filter((status) => status.state === 'pending')).toHaveLength(1);
    expect(results.filter((status) => status.state === 'duplicate')).toHaveLength(4);
    expect(new Set(results.map((status) => status.deliveryId)).size).toBe(1);
    await settled(hooks.dispatcher, results[0]?.deliveryId, { state: 'delivered' });
    const [again] = await hooks.dispatcher.deliverEvent(event);
    expect(again).toEqual({ subscriptionId: subscription.id, deliveryId: results[0]?.deliveryId, state: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
  });

  it('delivers only to active subscriptions to the event type', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url, { active: false }));
    await hooks.subscriptions.create(subscriptionTo(url, { eventType: 'order:shipped' }));
    expect(await hooks.dispatcher.deliverEvent(orderPlaced())).toEqual([]);
    expect((await hooks.dispatcher.listDeliveries()).deliveries).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('ends a pending delivery whose subscription was deleted as undelivered, UNDELIVERABLE, sending nothing', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks({ startWorker: false });
    const subscription = await hooks.subscriptions.create(subscriptionTo(url));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    await hooks.subscriptions.delete(subscription.id);
    hooks.dispatcher.start();
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(received).toHaveLength(0);
    // Given up at once, not retried on the schedule (3 attempts).
    expect(delivery.history).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        error: expect.objectContaining({ code: 'UNDELIVERABLE', message: expect.stringMatching(/was deleted/) }),
      }),
    ]);
    const listed = await hooks.dispatcher.listDeliveries({ subscriptionId: subscription.id, state: 'undelivered' });
    expect(listed.deliveries.map((each) => each.id)).toEqual([status?.deliveryId]);
  });

  it('calls the subscription callback after each attempt; a throwing callback is logged and changes nothing', async () => {
    let auditRequests = 0;
    const { running, url } = await receiver((_n, request) =>
      request.headers['x-subscriber'] === 'audit' && ++auditRequests === 1 ? 500 : 200,
    );
    await using _receiver = running;
    const reports: WebhookAttemptReport[] = [];
    const logger = recordingLogger();
    await using hooks = await webhooks({
      logger,
      callbacks: {
        audit: (report) => {
          reports.push(report);
        },
        broken: () => Promise.reject(new Error('audit database down')),
      },
    });
    await hooks.subscriptions.create(subscriptionTo(url, { callback: 'audit', headers: { 'x-subscriber': 'audit' } }));
    const broken = await hooks.subscriptions.create(subscriptionTo(`${url}?broken`, { callback: 'broken' }));
    const event = orderPlaced();

    const statuses = await hooks.dispatcher.deliverEvent(event);
    for (const status of statuses) await settled(hooks.dispatcher, status.deliveryId, { state: 'delivered' });
    await eventually(() => reports.length === 2);
    expect(reports.map((report) => [report.attempt, report.next, report.status])).toEqual([
      [1, 'retry', 500],
      [2, 'delivered', 200],
    ]);
    expect(reports[0]).toMatchObject({
      deliveryId: statuses.find((status) => status.subscriptionId !== broken.id)?.deliveryId,
      eventType: 'order:placed',
      event: { id: event.id },
      outcome: 'failed',
      responseExcerpt: 'refused #1',
      nextAttemptAt: expect.any(Date),
      recorded: true,
    });
    expect(JSON.parse(reports[0]?.payload ?? '{}')).toMatchObject({ id: event.id, payload: { orderId: 'o-1' } });
    await eventually(() =>
      logger.entries.some(
        (entry) =>
          entry.level === 'error' &&
          entry.message === 'webhook callback threw; the delivery is unchanged' &&
          (entry.object as { subscriptionId?: string }).subscriptionId === broken.id,
      ),
    );
  });

  it('refuses at delivery time a target the dispatcher policy forbids, even when the subscription was saved', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    // Subscriptions saved under a permissive policy, delivered by a dispatcher with the default one.
    await using hooks = await webhooks({ targetPolicy: {} });
    const { WebhookSubscriptions } = await import('@events-protocol/webhooks');
    const permissive = new WebhookSubscriptions(hooks.store, { targetPolicy: { allowPrivateNetworks: true } });
    await permissive.create(subscriptionTo(url.replace('127.0.0.1', 'localhost')));
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(hooks.dispatcher, status?.deliveryId, { state: 'undelivered' });
    expect(delivery.history).toEqual([
      expect.objectContaining({
        error: expect.objectContaining({
          code: 'UNDELIVERABLE',
          message: expect.stringMatching(/not a public address \(loopback\)/),
        }),
      }),
    ]);
    expect(received).toHaveLength(0);
  });

  it('takes events as a publish Sink: publish stores the deliveries, and the relay sends them', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    const sink = new WebhookSink(hooks.dispatcher);
    const event = orderPlaced();
    await sink.publish(event);
    expect(await sink.healthCheck()).toBe(true);
    await eventually(() => received.length === 1);
    expect(received[0]?.headers['webhook-id']).toBe(event.id);
  });
});
