import { OpenTelemetryEndpointMetricNames as names, WebhookEndpointMetrics } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, subscriptionTo, webhooks } from './harness.js';
import { CollectingReader, metricsSdk as sdk } from '../support/collecting-metric-reader.js';

describe('webhook endpoint metrics through OpenTelemetry', () => {
  it('observes each endpoint state, success ratio and failures, and the endpoints per state', async () => {
    const { running, url } = await receiver((_n, request) => (request.headers['x-path'] === 'down' ? 500 : 200));
    await using _receiver = running;
    let heard = 0;
    await using hooks = await webhooks({
      onAttempt: () => {
        heard++;
      },
    });
    const retry = { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 3 } } as const;
    const ok = await hooks.subscriptions.create(subscriptionTo(`${url}/ok`, { retry, headers: { 'x-path': 'ok' } }));
    const down = await hooks.subscriptions.create(
      subscriptionTo(`${url}/down`, { retry, headers: { 'x-path': 'down' } }),
    );
    await hooks.dispatcher.deliverEvent(orderPlaced());
    // onAttempt is told after the attempt is settled and the endpoint's health recorded.
    await eventually(() => heard === 4);

    const reader = new CollectingReader();
    const provider = new sdk.MeterProvider({ readers: [reader] });
    new WebhookEndpointMetrics(hooks.subscriptions).registerIn(provider.getMeter('@events-protocol/webhooks'));
    const id = (subscription: { id: string }) => ({ 'webhooks.subscription.id': subscription.id });
    const value = async (name: string, attributes: Record<string, string>) => {
      const found = (await reader.points(name)).filter((point) =>
        Object.entries(attributes).every(([key, expected]) => point.attributes[key] === expected),
      );
      expect(found).toHaveLength(1);
      return found[0]!.value;
    };
    expect(await value(names.state, { ...id(down), 'webhooks.endpoint.state': 'failing' })).toBe(1);
    expect(await value(names.state, { ...id(down), 'webhooks.endpoint.state': 'active' })).toBe(0);
    expect(await value(names.state, { ...id(ok), 'webhooks.endpoint.state': 'active' })).toBe(1);
    expect(await value(names.successRatio, id(ok))).toBe(1);
    expect(await value(names.successRatio, id(down))).toBe(0);
    expect(await value(names.consecutiveFailures, id(down))).toBe(3);
    expect(await value(names.endpoints, { 'webhooks.endpoint.state': 'failing' })).toBe(1);
    expect(await value(names.up, {})).toBe(1);
    await provider.shutdown();
  });
});
