import { setTimeout as sleep } from 'node:timers/promises';
import {
  defaultDeliveryLatencyBucketsMs,
  DeliveryMetrics,
  OpenTelemetryDeliveryMetricNames as names,
  Outbox,
} from '@events-protocol/outbox';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { drain, metricsStores, startFailingReceiver } from './delivery-metrics-fixture.js';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';
import { CollectingReader, metricsSdk as sdk } from '../support/collecting-metric-reader.js';

// The SDK's meters are handed to registerIn, so no global is set.

/** The value of the one data point of `name` with these attributes (a histogram's count). */
function point(metrics: Map<string, SdkMetrics.MetricData>, name: string, attributes: Record<string, string>): number {
  const found = (metrics.get(name)?.dataPoints ?? []).filter((each) =>
    Object.entries(attributes).every(([key, value]) => each.attributes[key] === value),
  );
  if (found.length !== 1) throw new Error(`${found.length} data points of ${name} ${JSON.stringify(attributes)}`);
  const value = found[0]!.value;
  return typeof value === 'number' ? value : value.count;
}

const stores = metricsStores();
afterAll(() => stores.close());

describe.each(stores.kinds)('delivery metrics through OpenTelemetry on %s', (kind) => {
  it('records attempts to counters and histograms and reads the store for the gauges', async () => {
    const reader = new CollectingReader();
    const provider = new sdk.MeterProvider({ readers: [reader] });
    const outbox = new Outbox({ store: await stores.open(kind) });
    const failingOutbox = new Outbox({ store: await stores.open(kind) });
    const runId = `otel-${kind}-${Date.now()}`;
    await using receiver = await startFailingReceiver([`${runId}-0`, `${runId}-2`]);
    const metrics = new DeliveryMetrics();
    let reads = 0;
    const registration = metrics.registerIn(provider.getMeter('@events-protocol/outbox'));
    metrics.watch('broken', failingOutbox);
    await failingOutbox.store.close();
    const relay = outbox.relay({
      sink: httpTestSink(receiver.url),
      schedule: { schedule: 'fixed', options: { delayMs: 1, maxAttempts: 3 } },
      observers: [
        metrics.watch('orders', {
          stats: () => {
            reads++;
            return outbox.stats();
          },
        }),
      ],
    });
    for (let index = 0; index < 4; index++) await outbox.enqueue(orderEvent(index, runId), { topic: 'orders' });
    await drain(relay);
    await outbox.enqueue(orderEvent(9, runId), { topic: 'orders', delayMs: 600_000 });
    const enqueued = Date.now();
    await sleep(200);

    const started = Date.now();
    const collected = await reader.byName();
    expect(reads).toBe(1);
    const where = { 'outbox.name': 'orders', 'outbox.topic': 'orders' };
    expect(point(collected, names.attempts, { ...where, 'outbox.attempt.outcome': 'delivered' })).toBe(2);
    expect(point(collected, names.attempts, { ...where, 'outbox.attempt.outcome': 'failed' })).toBe(6);
    expect(point(collected, names.givenUp, where)).toBe(2);
    expect(point(collected, names.latency, where)).toBe(2);
    expect(point(collected, names.attemptDuration, { ...where, 'outbox.attempt.outcome': 'failed' })).toBe(6);
    const latency = collected.get(names.latency)!.dataPoints[0]!.value as SdkMetrics.Histogram;
    expect(latency.buckets.boundaries).toEqual(defaultDeliveryLatencyBucketsMs);
    expect(collected.get(names.latency)!.descriptor.unit).toBe('ms');

    const queue = { 'outbox.name': 'orders' };
    expect(point(collected, names.up, queue)).toBe(1);
    expect(point(collected, names.pending, queue)).toBe(1);
    expect(point(collected, names.due, queue)).toBe(0);
    expect(point(collected, names.undelivered, queue)).toBe(2);
    expect(point(collected, names.oldestPendingAge, queue)).toBeGreaterThanOrEqual((started - enqueued) / 1000);
    expect(point(collected, names.up, { 'outbox.name': 'broken' })).toBe(0);
    expect(() => point(collected, names.pending, { 'outbox.name': 'broken' })).toThrow(/0 data points/);

    // Unregistered, nothing more is recorded, and the stores are not read for it any more.
    registration.unregister();
    receiver.failing.clear();
    await outbox.enqueue(orderEvent(20, runId), { topic: 'orders' });
    await drain(relay);
    const after = await reader.byName();
    expect(point(after, names.attempts, { ...where, 'outbox.attempt.outcome': 'delivered' })).toBe(2);
    expect(reads).toBe(1);
    await provider.shutdown();
  });
});
