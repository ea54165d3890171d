import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DeliveryMetrics,
  Outbox,
  OutboxRelay,
  PrometheusScrape,
  otherTopicsLabel,
  prometheusContentType,
  type AttemptReport,
} from '@events-protocol/outbox';
import { PrometheusEventMetrics } from '@events-protocol/server';
import { parseExposition, sampleValue } from './delivery-metrics-exposition.js';
import { drain, metricsStores, startFailingReceiver } from './delivery-metrics-fixture.js';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';

const stores = metricsStores();
afterAll(() => stores.close());

const schedule = { schedule: 'fixed', options: { delayMs: 1, maxAttempts: 2 } } as const;

describe.each(stores.kinds)('delivery metrics on %s', (kind) => {
  it('counts attempts against a failing receiver and reads the store at scrape time', async () => {
    const outbox = new Outbox({ store: await stores.open(kind) });
    const runId = `${kind}-${Date.now()}`;
    await using receiver = await startFailingReceiver([1, 3, 5].map((index) => `${runId}-${index}`));
    const metrics = new DeliveryMetrics();
    const heard: AttemptReport[] = [];
    const relay = outbox.relay({
      sink: httpTestSink(receiver.url),
      schedule,
      observers: [metrics.watch('orders', outbox)],
      onAttempt: (report) => {
        heard.push(report);
      },
    });
    for (let index = 0; index < 6; index++) await outbox.enqueue(orderEvent(index, runId), { topic: 'orders' });
    await drain(relay);
    expect(receiver.accepted()).toBe(3);
    expect(receiver.refused()).toBe(6);
    expect(heard).toHaveLength(9);

    const beforeEnqueue = Date.now();
    await outbox.enqueue(orderEvent(10, runId), { topic: 'orders', delayMs: 600_000 });
    await outbox.enqueue(orderEvent(11, runId), { topic: 'orders', delayMs: 600_000 });
    const enqueued = Date.now();
    await sleep(300);
    const scrapeStart = Date.now();
    const families = parseExposition(await metrics.toPrometheusText());
    const scrapeEnd = Date.now();

    const orders = { outbox: 'orders', topic: 'orders' };
    expect(sampleValue(families, 'outbox_attempts_total', { ...orders, outcome: 'delivered' })).toBe(3);
    expect(sampleValue(families, 'outbox_attempts_total', { ...orders, outcome: 'failed' })).toBe(6);
    expect(sampleValue(families, 'outbox_given_up_total', orders)).toBe(3);
    expect(sampleValue(families, 'outbox_delivery_latency_seconds_count', orders)).toBe(3);
    expect(sampleValue(families, 'outbox_attempt_duration_seconds_count', { ...orders, outcome: 'failed' })).toBe(6);
    expect(
      sampleValue(families, 'outbox_attempt_duration_seconds_bucket', { ...orders, outcome: 'failed', le: '30' }),
    ).toBe(6);
    expect(
      sampleValue(families, 'outbox_attempt_duration_seconds_sum', { ...orders, outcome: 'failed' }),
    ).toBeGreaterThan(0);

    const stats = await outbox.stats();
    expect(stats).toMatchObject({ pending: 2, due: 0, undelivered: 3 });
    expect(sampleValue(families, 'outbox_up', { outbox: 'orders' })).toBe(1);
    expect(sampleValue(families, 'outbox_undelivered', { outbox: 'orders' })).toBe(3);
    expect(sampleValue(families, 'outbox_pending', { outbox: 'orders' })).toBe(2);
    expect(sampleValue(families, 'outbox_due', { outbox: 'orders' })).toBe(0);
    const age = sampleValue(families, 'outbox_oldest_pending_age_seconds', { outbox: 'orders' });
    expect(age).toBeGreaterThanOrEqual((scrapeStart - enqueued) / 1000);
    expect(age).toBeLessThanOrEqual((scrapeEnd - beforeEnqueue) / 1000);
  });

  it('reports a store that fails at scrape time as down, and the others as usual', async () => {
    const healthy = new Outbox({ store: await stores.open(kind) });
    const failing = new Outbox({ store: await stores.open(kind) });
    await healthy.enqueue(orderEvent(1, `${kind}-up`));
    const logged: object[] = [];
    const drop = (): void => undefined;
    const metrics = new DeliveryMetrics({
      logger: { debug: drop, warn: drop, error: (object) => logged.push(object) },
      statsTimeoutMs: 2000,
    });
    metrics.watch('healthy', healthy);
    metrics.watch('failing', failing);
    await failing.store.close();

    const families = parseExposition(await metrics.toPrometheusText());
    expect(sampleValue(families, 'outbox_up', { outbox: 'failing' })).toBe(0);
    expect(() => sampleValue(families, 'outbox_pending', { outbox: 'failing' })).toThrow(/0 samples/);
    expect(sampleValue(families, 'outbox_up', { outbox: 'healthy' })).toBe(1);
    expect(sampleValue(families, 'outbox_pending', { outbox: 'healthy' })).toBe(1);
    expect(logged).toEqual([expect.objectContaining({ outbox: 'failing' })]);
  });
});

describe('delivery metrics labels and scraping', () => {
  it('labels at most maxTopics topics per outbox and the rest as _other', async () => {
    const outbox = new Outbox({ store: await stores.open('SQLite') });
    await using receiver = await startFailingReceiver([]);
    const metrics = new DeliveryMetrics({ maxTopics: 2 });
    const relay = new OutboxRelay({
      store: outbox.store,
      sink: httpTestSink(receiver.url),
      schedule,
      onAttempt: metrics.observerFor('hooks'),
    });
    for (const [index, topic] of ['a', 'b', 'c', 'd', 'a'].entries()) {
      await outbox.enqueue(orderEvent(index, 'topics'), { topic });
    }
    await drain(relay);
    const families = parseExposition(await metrics.toPrometheusText());
    const topics = families.get('outbox_attempts_total')!.samples.map((sample) => [sample.labels.topic, sample.value]);
    expect(new Map(topics as [string, number][])).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
        [otherTopicsLabel, 2],
      ]),
    );
    expect(families.get('outbox_up')!.samples).toEqual([]);
  });

  it('serves event metrics and delivery metrics on one scrape, leaving out a source that throws', async () => {
    const outbox = new Outbox({ store: await stores.open('SQLite') });
    await outbox.enqueue(orderEvent(1, 'scrape'));
    const delivery = new DeliveryMetrics();
    delivery.watch('orders', outbox);
    const events = new PrometheusEventMetrics();
    events.recordEvent({ name: 'user:get', version: 1, outcome: 'success', durationMs: 3 });
    const broken = { toPrometheusText: () => Promise.reject(new Error('down')) };
    const scrape = new PrometheusScrape([events, broken, delivery]);
    expect(scrape.contentType).toBe(prometheusContentType);
    const families = parseExposition(await scrape.metrics());
    expect(sampleValue(families, 'events_total', { name: 'user:get' })).toBe(1);
    expect(sampleValue(families, 'outbox_pending', { outbox: 'orders' })).toBe(1);
  });

  it('keeps telling every observer when one throws, and logs it', async () => {
    const outbox = new Outbox({ store: await stores.open('SQLite') });
    await using receiver = await startFailingReceiver([]);
    const metrics = new DeliveryMetrics();
    const logged: string[] = [];
    const drop = (): void => undefined;
    const relay = outbox.relay({
      sink: httpTestSink(receiver.url),
      logger: { debug: drop, warn: drop, error: (_object, message) => logged.push(message ?? '') },
      observers: [
        () => {
          throw new Error('observer bug');
        },
        metrics.observerFor('orders'),
      ],
    });
    await outbox.enqueue(orderEvent(1, 'observers'));
    await outbox.enqueue(orderEvent(2, 'observers'));
    await drain(relay);
    const families = parseExposition(await metrics.toPrometheusText());
    expect(sampleValue(families, 'outbox_attempts_total', { outcome: 'delivered' })).toBe(2);
    expect(logged).toEqual(['outbox relay observer failed', 'outbox relay observer failed']);
  });

  it('refuses a name watched twice', async () => {
    const outbox = new Outbox({ store: await stores.open('SQLite') });
    const metrics = new DeliveryMetrics();
    metrics.watch('orders', outbox);
    expect(() => metrics.watch('orders', outbox)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
