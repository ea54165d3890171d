import { verifyWebhook, type WebhookAttemptReport } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { eventually, orderPlaced, receiver, recordingLogger, secret, subscriptionTo, webhooks } from './harness.js';

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
    expect(statuses).toEqual([{ subscriptionId: subscription.id, deliveryId: expect.any(Number), state: 'pending' }]);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');

    expect(received).toHaveLength(4);
    for (const gap of gaps(received.map((request) => request.at))) expect(gap).toBeGreaterThanOrEqual(140);
    const attempts = await hooks.store.listAttempts({ eventId: event.id });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 200],
    ]);
    expect(attempts[0]).toMatchObject({
      subscriptionId: subscription.id,
      eventId: event.id,
      responseExcerpt: 'refused #1',
      requestedAt: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(await hooks.store.listAttempts({ subscriptionId: subscription.id })).toEqual(attempts);
    const [delivery] = await hooks.store.listDeliveries({ subscriptionId: subscription.id });
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 4, eventType: 'order:placed' });
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
    const event = orderPlaced();
    await hooks.dispatcher.deliverEvent(event);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'given_up');

    expect(received).toHaveLength(4);
    const [first = 0, second = 0, third = 0] = gaps(received.map((request) => request.at));
    expect(first).toBeGreaterThanOrEqual(90);
    expect(second).toBeGreaterThanOrEqual(190);
    expect(third).toBeGreaterThanOrEqual(290);
    expect((await hooks.store.listAttempts({ eventId: event.id })).map((attempt) => attempt.status)).toEqual([
      503, 503, 503, 503,
    ]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'webhook delivery given up after its last attempt' }),
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

    const statuses = await hooks.dispatcher.deliverEvent(event, { async: false });
    const byId = new Map(statuses.map((status) => [status.subscriptionId, status]));
    expect(byId.get(good.id)).toMatchObject({ state: 'delivered', response: { ok: true, status: 204 } });
    expect(byId.get(wrong.id)).toMatchObject({ state: 'failed', response: { ok: false, status: 401 } });
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

  it('waits for the first attempt with async: false and returns at once with async: true', async () => {
    const { running, received, url } = await receiver((n) => (n === 1 ? 500 : 200));
    await using _receiver = running;
    await using hooks = await webhooks({ startWorker: false });
    await hooks.subscriptions.create(subscriptionTo(url));

    const [waited] = await hooks.dispatcher.deliverEvent(orderPlaced('o-1'), { async: false });
    expect(waited).toMatchObject({ state: 'failed', response: { status: 500 } });
    expect(received).toHaveLength(1);

    const [recorded] = await hooks.dispatcher.deliverEvent(orderPlaced('o-2'));
    expect(recorded?.state).toBe('pending');
    expect(received).toHaveLength(1);
    hooks.dispatcher.start();
    await eventually(() => received.length === 3);
  });

  it('times out a hanging receiver and retries it', async () => {
    const { running, received, url } = await receiver((n) => (n === 1 ? 'hang' : 200));
    await using _receiver = running;
    await using hooks = await webhooks({ timeout: { connectMs: 1000, responseMs: 300 } });
    await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();

    const [first] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(first?.state).toBe('failed');
    expect(first?.response?.error).toMatch(/timeout/);
    expect(first?.response?.durationMs).toBeLessThan(5000);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
    expect(received).toHaveLength(2);
    const [attempt] = await hooks.store.listAttempts({ eventId: event.id });
    expect(attempt?.status).toBeUndefined();
    expect(attempt?.error).toMatch(/timeout/);
  });

  it('records a refused connection to a closed port and gives up on schedule', async () => {
    const closed = await listen(() => undefined);
    const url = `${closed.origin}/hooks`;
    await closed.close();
    await using hooks = await webhooks();
    await hooks.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 2 } } }),
    );
    const event = orderPlaced();

    const [first] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(first?.response?.error).toMatch(/ECONNREFUSED/);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'given_up');
    const attempts = await hooks.store.listAttempts({ eventId: event.id });
    expect(attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(attempts.every((attempt) => attempt.status === undefined && /ECONNREFUSED/.test(attempt.error ?? ''))).toBe(
      true,
    );
  });

  it('delivers an event id once per subscription, however often and concurrently it is delivered', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    const subscription = await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();

    const results = await Promise.all(Array.from({ length: 5 }, () => hooks.dispatcher.deliverEvent(event)));
    expect(results.flat().filter((status) => status.state === 'pending')).toHaveLength(1);
    expect(results.flat().filter((status) => status.state === 'duplicate')).toHaveLength(4);
    await eventually(() => received.length === 1);
    const [again] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(again).toEqual({ subscriptionId: subscription.id, state: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
    expect(await hooks.store.listDeliveries({ eventId: event.id })).toHaveLength(1);
  });

  it('delivers only to active subscriptions to the event type', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url, { active: false }));
    await hooks.subscriptions.create(subscriptionTo(url, { eventType: 'order:shipped' }));
    expect(await hooks.dispatcher.deliverEvent(orderPlaced(), { async: false })).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('gives up a pending delivery whose subscription was deleted, with the reason recorded', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks({ startWorker: false });
    const subscription = await hooks.subscriptions.create(subscriptionTo(url));
    const event = orderPlaced();
    await hooks.dispatcher.deliverEvent(event);
    await hooks.subscriptions.delete(subscription.id);
    hooks.dispatcher.start();
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'given_up');
    expect(received).toHaveLength(0);
    expect((await hooks.store.listAttempts({ eventId: event.id }))[0]?.error).toBe('the subscription was deleted');
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

    await hooks.dispatcher.deliverEvent(event);
    await eventually(async () =>
      (await hooks.store.listDeliveries({ eventId: event.id })).every((delivery) => delivery.state === 'delivered'),
    );
    expect(reports.map((report) => [report.attempt, report.state, report.response.status])).toEqual([
      [1, 'failed', 500],
      [2, 'delivered', 200],
    ]);
    expect(reports[0]).toMatchObject({
      eventType: 'order:placed',
      event: { id: event.id },
      nextAttemptAt: expect.any(Number),
    });
    expect(JSON.parse(reports[0]?.payload ?? '{}')).toMatchObject({ id: event.id, payload: { orderId: 'o-1' } });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'webhook callback threw; the delivery is unchanged',
        object: expect.objectContaining({ subscriptionId: broken.id }),
      }),
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
    const event = orderPlaced();
    const [status] = await hooks.dispatcher.deliverEvent(event, { async: false });
    expect(status?.state).toBe('given_up');
    expect(status?.response?.error).toMatch(/not a public address \(loopback\)/);
    expect(received).toHaveLength(0);
  });
});
