import { createRequire } from 'node:module';
import { DeliveryMetrics, PrometheusScrape, type AttemptReport } from '@events-protocol/outbox';
import type * as PromClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseExposition } from './delivery-metrics-exposition.js';
import { orderEvent } from './events.js';

const prom = createRequire(import.meta.url)('prom-client') as typeof PromClient;
const enqueuedAt = new Date('2026-01-01T00:00:00.000Z');

function delivered(topic: string, latencyMs: number, durationMs: number): AttemptReport {
  return {
    claimed: {
      id: 'e',
      receipt: 'r',
      event: orderEvent(1),
      topic,
      attributes: {},
      attempt: 1,
      history: [],
      enqueuedAt,
    },
    attempt: {
      attempt: 1,
      at: new Date(enqueuedAt.getTime() + latencyMs - durationMs).toISOString(),
      durationMs,
      outcome: 'delivered',
    },
    next: 'delivered',
    recorded: true,
  };
}

/** The samples of one metric family, each as `name{labels in name order} value`, sorted. */
const samplesOf = (text: string, name: string) =>
  parseExposition(text)
    .get(name)!
    .samples.map((sample) => {
      const labels = Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b));
      return `${sample.name}${JSON.stringify(labels)} ${sample.value}`;
    })
    .sort();

describe('DeliveryMetrics against prom-client', () => {
  it('writes the same histogram and counter lines as prom-client does for the same observations', async () => {
    const bucketsMs = [10, 100, 1000, 60_000];
    const metrics = new DeliveryMetrics({ latencyBucketsMs: bucketsMs, attemptBucketsMs: bucketsMs });
    const registry = new prom.Registry();
    const latency = new prom.Histogram({
      name: 'outbox_delivery_latency_seconds',
      help: 'Time from enqueue to delivery.',
      labelNames: ['outbox', 'topic'],
      buckets: bucketsMs.map((bound) => bound / 1000),
      registers: [registry],
    });
    const attempts = new prom.Counter({
      name: 'outbox_attempts_total',
      help: 'Delivery attempts settled, by outbox, topic and outcome.',
      labelNames: ['outbox', 'topic', 'outcome'],
      registers: [registry],
    });
    const observations: [string, number][] = [
      ['orders', 5],
      ['orders', 250],
      ['orders', 1000],
      ['refunds', 90_000],
      ['refunds', 60_000],
      ['quote"d', 42],
    ];
    for (const [topic, latencyMs] of observations) {
      metrics.observe(delivered(topic, latencyMs, 3), 'main');
      latency.observe({ outbox: 'main', topic }, latencyMs / 1000);
      attempts.inc({ outbox: 'main', topic, outcome: 'delivered' });
    }
    const ours = await metrics.toPrometheusText();
    const theirs = await registry.metrics();
    expect(samplesOf(ours, 'outbox_delivery_latency_seconds')).toEqual(
      samplesOf(theirs, 'outbox_delivery_latency_seconds'),
    );
    expect(samplesOf(ours, 'outbox_attempts_total')).toEqual(samplesOf(theirs, 'outbox_attempts_total'));
    expect(ours).toContain('# TYPE outbox_delivery_latency_seconds histogram\n');
    expect(theirs).toContain('# TYPE outbox_delivery_latency_seconds histogram\n');
  });

  it('serves a prom-client registry and delivery metrics on one scrape', async () => {
    const registry = new prom.Registry();
    new prom.Counter({ name: 'app_logins_total', help: 'Logins.', registers: [registry] }).inc(2);
    new prom.Gauge({ name: 'app_queue_ratio', help: 'Not known yet.', registers: [registry] }).set(Number.NaN);
    const metrics = new DeliveryMetrics();
    metrics.observe(delivered('orders', 20, 3), 'main');
    const families = parseExposition(await new PrometheusScrape([registry, metrics]).metrics());
    expect(families.get('app_logins_total')?.samples.map((sample) => sample.value)).toEqual([2]);
    expect(families.get('app_queue_ratio')?.samples.map((sample) => sample.value)).toEqual([Number.NaN]);
    expect(families.get('outbox_attempts_total')?.samples.map((sample) => sample.value)).toEqual([1]);
  });
});
