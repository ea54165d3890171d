import { DeliveryMetrics, PrometheusScrape } from '@events-protocol/outbox';
import { WebhookEndpointMetrics } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../outbox/delivery-metrics-exposition.js';
import { eventually, orderPlaced, receiver, recordingLogger, subscriptionTo, webhooks } from './harness.js';
import { storeBackends } from './store-backends.js';

const backends = storeBackends('metrics');

const retry = { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 2 } } as const;

describe.each(backends)('webhook endpoint metrics on %s', (_kind, open) => {
  it('exports each endpoint state and success rate after real failures, with the delivery metrics', async () => {
    // /ok answers 200, /down 500, /flaky 200 to its first request and 500 after.
    const counts = new Map<string, number>();
    const { running, received, url } = await receiver((_n, request) => {
      const path = request.headers['x-path'] as string;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      if (path === 'ok') return 200;
      if (path === 'flaky') return counts.get(path) === 1 ? 200 : 500;
      return 500;
    });
    await using _receiver = running;
    const delivery = new DeliveryMetrics();
    const observe = delivery.observerFor('webhooks');
    let heard = 0;
    await using hooks = await webhooks({
      ...(open === undefined ? {} : { open }),
      // Told after the attempt is settled and the endpoint's health recorded.
      onAttempt: (report) => {
        observe(report);
        heard++;
      },
    });
    delivery.watch('webhooks', hooks.dispatcher.outbox);
    const create = (path: string) =>
      hooks.subscriptions.create(subscriptionTo(`${url}?${path}`, { retry, headers: { 'x-path': path } }));
    const ok = await create('ok');
    const down = await create('down');
    const flaky = await create('flaky');
    const paused = await create('paused');
    const disabled = await create('disabled');
    await hooks.subscriptions.update(paused.id, { active: false });
    await hooks.subscriptions.disable(disabled.id, { reason: 'maintenance' });

    await hooks.dispatcher.deliverEvent(orderPlaced('o-1'));
    await eventually(async () => (await hooks.dispatcher.outbox.stats()).pending === 0);
    await hooks.dispatcher.deliverEvent(orderPlaced('o-2'));
    await eventually(async () => (await hooks.dispatcher.outbox.stats()).pending === 0);
    // ok: 2 delivered; down: 4 failed; flaky: 1 delivered, 2 failed (o-2 given up).
    await eventually(() => heard === 9);
    expect(received).toHaveLength(9);

    const endpoints = new WebhookEndpointMetrics(hooks.subscriptions);
    const families = parseExposition(await new PrometheusScrape([delivery, endpoints]).metrics());
    const state = (id: string, name: string) =>
      sampleValue(families, 'webhook_endpoint_state', { subscription: id, state: name });
    expect([state(ok.id, 'active'), state(ok.id, 'failing')]).toEqual([1, 0]);
    expect([state(down.id, 'failing'), state(down.id, 'active')]).toEqual([1, 0]);
    expect(state(flaky.id, 'failing')).toBe(1);
    expect(state(paused.id, 'paused')).toBe(1);
    expect([state(disabled.id, 'disabled'), state(disabled.id, 'paused')]).toEqual([1, 0]);
    const ratio = (id: string) => sampleValue(families, 'webhook_endpoint_success_ratio', { subscription: id });
    expect(ratio(ok.id)).toBe(1);
    expect(ratio(down.id)).toBe(0);
    expect(ratio(flaky.id)).toBeCloseTo(1 / 3);
    expect(() => ratio(paused.id)).toThrow(/0 samples/);
    expect(sampleValue(families, 'webhook_endpoint_consecutive_failures', { subscription: down.id })).toBe(4);
    expect(
      sampleValue(families, 'webhook_endpoint_attempts_total', { subscription: flaky.id, outcome: 'failed' }),
    ).toBe(2);
    expect(sampleValue(families, 'webhook_endpoints', { state: 'failing' })).toBe(2);
    expect(sampleValue(families, 'webhook_endpoints', { state: 'active' })).toBe(1);
    expect(sampleValue(families, 'webhook_endpoints_up')).toBe(1);

    // The delivery side of the same attempts: one topic per subscription, and the outbox gauges.
    const topic = (id: string, outcome: string) =>
      sampleValue(families, 'outbox_attempts_total', { outbox: 'webhooks', topic: id, outcome });
    expect([topic(ok.id, 'delivered'), topic(down.id, 'failed'), topic(flaky.id, 'failed')]).toEqual([2, 4, 2]);
    expect(sampleValue(families, 'outbox_given_up_total', { outbox: 'webhooks', topic: down.id })).toBe(2);
    // down's two deliveries and flaky's second.
    expect(sampleValue(families, 'outbox_undelivered', { outbox: 'webhooks' })).toBe(3);
    expect((await hooks.dispatcher.outbox.stats()).undelivered).toBe(3);
    expect(sampleValue(families, 'outbox_pending', { outbox: 'webhooks' })).toBe(0);
  });

  it('labels at most maxEndpoints endpoints and counts every endpoint per state', async () => {
    await using hooks = await webhooks(open === undefined ? {} : { open });
    for (const path of ['a', 'b', 'c']) await hooks.subscriptions.create(subscriptionTo(`http://127.0.0.1:9/${path}`));
    const families = parseExposition(
      await new WebhookEndpointMetrics(hooks.subscriptions, { maxEndpoints: 1 }).toPrometheusText(),
    );
    expect(families.get('webhook_endpoint_state')!.samples).toHaveLength(4);
    expect(sampleValue(families, 'webhook_endpoints', { state: 'active' })).toBe(3);
    expect(sampleValue(families, 'webhook_endpoints_unlabelled')).toBe(1 + 1);
  });

  it('reports endpoints down when the store fails, without throwing', async () => {
    const hooks = await webhooks(open === undefined ? {} : { open });
    await hooks.subscriptions.create(subscriptionTo('http://127.0.0.1:9/a'));
    const logger = recordingLogger();
    const endpoints = new WebhookEndpointMetrics(hooks.subscriptions, { logger, timeoutMs: 2000 });
    await hooks.close();
    const families = parseExposition(await endpoints.toPrometheusText());
    expect(sampleValue(families, 'webhook_endpoints_up')).toBe(0);
    expect(families.get('webhook_endpoint_state')!.samples).toEqual([]);
    expect(logger.entries.map((entry) => entry.level)).toEqual(['error']);
  });
});
