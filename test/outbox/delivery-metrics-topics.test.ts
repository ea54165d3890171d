import { DeliveryMetrics, Outbox } from '@events-protocol/outbox';
import { DurableTopicPublisher } from '@events-protocol/topics';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from './delivery-metrics-exposition.js';
import { drain, metricsStores, startFailingReceiver } from './delivery-metrics-fixture.js';
import { httpTestSink } from './http-test-sink.js';

const stores = metricsStores();
afterAll(() => stores.close());

describe('delivery metrics of topics', () => {
  it('labels the relay attempts of each topic, and counts failed direct publishes as undelivered', async () => {
    await using orders = await startFailingReceiver([]);
    await using audit = await startFailingReceiver([]);
    const outbox = new Outbox({ store: await stores.open('SQLite') });
    const topics = new DurableTopicPublisher({
      outbox,
      topics: { orders: httpTestSink(orders.url), audit: httpTestSink(audit.url) },
    });
    const metrics = new DeliveryMetrics();
    const relay = topics.relay({
      schedule: { schedule: 'fixed', options: { delayMs: 1, maxAttempts: 2 } },
      observers: [metrics.watch('topics', outbox)],
    });
    const [first] = await topics.publishMany('orders', [
      { name: 'order:placed', payload: { n: 1 } },
      { name: 'order:placed', payload: { n: 2 } },
    ]);
    orders.failing.add(first!.id);
    await topics.publishMany('audit', [{ name: 'audit:logged', payload: {} }]);
    await drain(relay);
    // A direct publish that fails is stored as undelivered at once, without a relay attempt.
    await audit.close();
    expect((await topics.publish('audit', { name: 'audit:logged', payload: {} })).outcome).toBe('undelivered');

    const families = parseExposition(await metrics.toPrometheusText());
    const attempts = (topic: string, outcome: string) =>
      sampleValue(families, 'outbox_attempts_total', { outbox: 'topics', topic, outcome });
    expect([attempts('orders', 'delivered'), attempts('orders', 'failed'), attempts('audit', 'delivered')]).toEqual([
      1, 2, 1,
    ]);
    expect(sampleValue(families, 'outbox_given_up_total', { outbox: 'topics', topic: 'orders' })).toBe(1);
    expect(sampleValue(families, 'outbox_undelivered', { outbox: 'topics' })).toBe(2);
    expect(sampleValue(families, 'outbox_pending', { outbox: 'topics' })).toBe(0);
  });
});
