import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { request } from 'undici';
import { EventError, EventErrorType, EventBuilder } from '@events-protocol/core';
import {
  combineEventMetrics,
  createEventServer,
  defaultDurationBucketsMs,
  EventProcessor,
  EventRegistry,
  OpenTelemetryEventMetricNames,
  OpenTelemetryEventMetrics,
  PrometheusEventMetrics,
  type EventMetrics,
} from '@events-protocol/server';
import type * as Api from '@opentelemetry/api';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import type * as PromClient from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningServer } from '../support/http-server.js';
import { eventually } from '../support/eventually.js';
import { CollectingReader, metricsSdk as sdk } from '../support/collecting-metric-reader.js';

// As in tracing.test.ts: the SDK is loaded as an application loads it, and registered through the
// copy of the API the SDK itself resolves, which must be the one our server records to.
const load = createRequire(import.meta.url);
const serverScope = { name: '@events-protocol/server', version: /^\d+\.\d+\.\d+/ };
const api = createRequire(`${dirname(load.resolve('@opentelemetry/sdk-metrics'))}/`)(
  '@opentelemetry/api',
) as typeof Api;
const prom = load('prom-client') as typeof PromClient;

/** A registry with a success, a forbidden answer and a handler that waits until it is let go. */
function serviceRegistry(gate: { release?: () => void }): EventRegistry {
  return new EventRegistry()
    .register({ name: 'user:get', handler: () => ({ ok: true }) })
    .register({
      name: 'user:delete',
      version: 2,
      handler: () => {
        throw new EventError(EventErrorType.Forbidden, { code: 'NO' });
      },
    })
    .register({
      name: 'report:build',
      handler: () =>
        new Promise<string>((resolve) => {
          gate.release = () => resolve('built');
        }),
    });
}

/** Posts a body to the server's `/events` and reads the answer's name. */
async function post(server: RunningServer, body: string): Promise<string> {
  const answer = await request(`${server.origin}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return ((await answer.body.json()) as { name: string }).name;
}

function event(name: string, version = 1): string {
  return JSON.stringify(EventBuilder.request({ name, version, payload: null }));
}

/** The mix of answers every test sends: 3 successes, 1 forbidden, 1 unknown event, 1 unreadable body. */
async function sendMix(server: RunningServer): Promise<void> {
  for (let index = 0; index < 3; index++) expect(await post(server, event('user:get'))).toBe('user:get:response');
  expect(await post(server, event('user:delete', 2))).toBe('user:delete:forbidden');
  expect(await post(server, event('no:such:event', 7))).toBe('eventNotFound');
  expect(await post(server, '{not json')).toBe('badProtocol');
}

function pointsOf(metric: SdkMetrics.MetricData | undefined) {
  expect(metric).toBeDefined();
  return (metric as SdkMetrics.MetricData).dataPoints as SdkMetrics.DataPoint<unknown>[];
}

describe('OpenTelemetryEventMetrics with the real metrics SDK', () => {
  afterEach(() => {
    api.metrics.disable();
  });

  it('counts, times and tracks in flight every answer over HTTP, by name, version and outcome', async () => {
    const reader = new CollectingReader(serverScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    const gate: { release?: () => void } = {};
    const processor = new EventProcessor(serviceRegistry(gate), { metrics: new OpenTelemetryEventMetrics() });
    await using server = await listen(createEventServer(processor));

    await sendMix(server);
    const slow = post(server, event('report:build'));
    await eventually(() => gate.release !== undefined);
    const during = await reader.byName();
    expect(pointsOf(during.get(OpenTelemetryEventMetricNames.active)).map((point) => point.value)).toEqual([1]);
    gate.release?.();
    expect(await slow).toBe('report:build:response');

    const after = await reader.byName();
    expect(pointsOf(after.get(OpenTelemetryEventMetricNames.active)).map((point) => point.value)).toEqual([0]);
    const answered = new Map(
      pointsOf(after.get(OpenTelemetryEventMetricNames.answered)).map((point) => [
        JSON.stringify(point.attributes),
        point.value,
      ]),
    );
    expect(Object.fromEntries(answered)).toEqual({
      [JSON.stringify({ 'events.name': 'user:get', 'events.version': 1, 'events.outcome': 'success' })]: 3,
      [JSON.stringify({ 'events.name': 'user:delete', 'events.version': 2, 'events.outcome': 'forbidden' })]: 1,
      [JSON.stringify({ 'events.name': 'report:build', 'events.version': 1, 'events.outcome': 'success' })]: 1,
      // Neither the caller's made-up name nor a body that was no event name a series.
      [JSON.stringify({ 'events.outcome': 'eventNotFound' })]: 1,
      [JSON.stringify({ 'events.outcome': 'badProtocol' })]: 1,
    });

    const duration = after.get(OpenTelemetryEventMetricNames.duration);
    expect(duration?.descriptor.unit).toBe('ms');
    const histograms = pointsOf(duration) as SdkMetrics.DataPoint<SdkMetrics.Histogram>[];
    expect(histograms).toHaveLength(5);
    for (const { value } of histograms) expect(value.buckets.boundaries).toEqual(defaultDurationBucketsMs);
    const gets = histograms.find((point) => point.attributes['events.name'] === 'user:get')?.value;
    expect(gets?.count).toBe(3);
    expect(gets?.sum).toBeGreaterThan(0);
    expect(gets?.buckets.counts.reduce((total, count) => total + count, 0)).toBe(3);
  });

  it('records nothing and calls nothing per event until a meter provider is registered, then starts', async () => {
    const metrics = new OpenTelemetryEventMetrics();
    const start = vi.spyOn(metrics, 'startEvent');
    const record = vi.spyOn(metrics, 'recordEvent');
    const noop = api.createNoopMeter();
    const histogram = vi.spyOn(noop, 'createHistogram');
    const processor = new EventProcessor(serviceRegistry({}), { metrics });
    await using server = await listen(createEventServer(processor));

    await sendMix(server);
    expect(metrics.isMeasuring()).toBe(false);
    expect([start.mock.calls.length, record.mock.calls.length, histogram.mock.calls.length]).toEqual([0, 0, 0]);

    // Registered later (after the processor was made), it is used from the next event on.
    const reader = new CollectingReader(serverScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    expect(await post(server, event('user:get'))).toBe('user:get:response');
    expect([start.mock.calls.length, record.mock.calls.length]).toEqual([1, 1]);
    const answered = pointsOf((await reader.byName()).get(OpenTelemetryEventMetricNames.answered));
    expect(answered.map((point) => point.value)).toEqual([1]);

    // And off again once the provider is gone.
    api.metrics.disable();
    expect(await post(server, event('user:get'))).toBe('user:get:response');
    expect([start.mock.calls.length, record.mock.calls.length]).toEqual([1, 1]);
  });
});

describe('PrometheusEventMetrics in a prom-client registry', () => {
  it('serves our metrics from registry.metrics() beside the application’s own, as our own text has them', async () => {
    const registry = new prom.Registry();
    const logins = new prom.Counter({ name: 'app_logins_total', help: 'Logins.', registers: [registry] });
    logins.inc(2);
    const metrics = new PrometheusEventMetrics();
    metrics.registerIn(registry);
    const gate: { release?: () => void } = {};
    await using server = await listen(createEventServer(new EventProcessor(serviceRegistry(gate), { metrics })));
    await sendMix(server);
    const slow = post(server, event('report:build'));
    await eventually(() => gate.release !== undefined);
    expect(await registry.metrics()).toContain('# TYPE events_in_flight gauge\nevents_in_flight 1');
    gate.release?.();
    await slow;

    const text = await registry.metrics();
    expect(text).toContain('# TYPE app_logins_total counter\napp_logins_total 2');
    expect(text).toContain('events_total{name="user:get",version="1",outcome="success"} 3');
    expect(text).toContain('events_total{name="",version="",outcome="eventNotFound"} 1');
    expect(text).toContain('events_duration_seconds_bucket{name="user:get",version="1",outcome="success",le="10"} 3');
    expect(text).toContain('events_in_flight 0');
    // Sample for sample what our own exporter writes, read through prom-client's formatter.
    const samples = (exposition: string) =>
      exposition
        .split('\n')
        .filter((line) => line.startsWith('events_'))
        .sort();
    expect(samples(text)).toEqual(samples(metrics.toPrometheusText()));
    expect(samples(text).length).toBeGreaterThan(30);
    // A JSON reader of the registry sees them too.
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toEqual(['app_logins_total', 'events_total', 'events_duration_seconds', 'events_in_flight']);
  });

  it('keeps its own names and rules: a second registration throws, OpenMetrics and default labels apply', async () => {
    // prom-client's types declare no constructor argument, though its Registry takes the content type.
    const OpenMetricsRegistry = prom.Registry as unknown as new (
      contentType: PromClient.OpenMetricsContentType,
    ) => PromClient.Registry<PromClient.OpenMetricsContentType>;
    const registry = new OpenMetricsRegistry(prom.Registry.OPENMETRICS_CONTENT_TYPE);
    registry.setDefaultLabels({ service: 'users' });
    const metrics = new PrometheusEventMetrics();
    metrics.registerIn(registry);
    expect(() => {
      new PrometheusEventMetrics().registerIn(registry);
    }).toThrow(/events_total/);
    metrics.startEvent();
    metrics.recordEvent({ name: 'user:get', version: 1, outcome: 'success', durationMs: 3 });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE events counter');
    expect(text).toContain('events_total{name="user:get",version="1",outcome="success",service="users"} 1');
    expect(text).toContain(
      'events_duration_seconds_bucket{name="user:get",version="1",outcome="success",le="0.005",service="users"} 1',
    );
    expect(text.endsWith('# EOF\n')).toBe(true);
  });
});

describe('metrics that throw', () => {
  it('cost no answer, when an event starts or when it is recorded', async () => {
    const warnings: unknown[] = [];
    const discard = () => undefined;
    const logger = {
      isLevelEnabled: (level: string) => level === 'warn',
      debug: discard,
      info: discard,
      warn: (object: unknown) => warnings.push(object),
      error: discard,
    };
    const broken = (where: 'start' | 'record'): EventMetrics => ({
      startEvent: () => {
        if (where === 'start') throw new Error('start broke');
      },
      recordEvent: () => {
        if (where === 'record') throw new Error('record broke');
      },
    });
    for (const where of ['start', 'record'] as const) {
      const processor = new EventProcessor(serviceRegistry({}), { metrics: broken(where), logger });
      await using server = await listen(createEventServer(processor));
      expect(await post(server, event('user:get'))).toBe('user:get:response');
      expect(await post(server, '{not json')).toBe('badProtocol');
    }
    expect(warnings).toHaveLength(4);
  });
});

describe('combineEventMetrics', () => {
  afterEach(() => {
    api.metrics.disable();
  });

  it('reports every event to Prometheus and OpenTelemetry at once', async () => {
    const reader = new CollectingReader(serverScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    const prometheus = new PrometheusEventMetrics();
    const metrics: EventMetrics = combineEventMetrics(prometheus, new OpenTelemetryEventMetrics());
    await using server = await listen(createEventServer(new EventProcessor(serviceRegistry({}), { metrics })));
    await sendMix(server);
    expect(prometheus.toPrometheusText()).toContain('events_total{name="user:get",version="1",outcome="success"} 3');
    const answered = pointsOf((await reader.byName()).get(OpenTelemetryEventMetricNames.answered));
    expect(answered.reduce((total, point) => total + Number(point.value), 0)).toBe(6);
  });

  it('measures while one member does, and keeps the other’s count in flight exact', async () => {
    const prometheus = new PrometheusEventMetrics();
    const openTelemetry = new OpenTelemetryEventMetrics();
    const metrics = combineEventMetrics(openTelemetry, prometheus);
    expect(openTelemetry.isMeasuring()).toBe(false);
    expect(metrics.isMeasuring?.()).toBe(true);
    await using server = await listen(createEventServer(new EventProcessor(serviceRegistry({}), { metrics })));
    await sendMix(server);
    expect(prometheus.toPrometheusText()).toContain('events_in_flight 0');
    const reader = new CollectingReader(serverScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    await post(server, event('user:get'));
    const found = await reader.byName();
    expect(pointsOf(found.get(OpenTelemetryEventMetricNames.active)).map((point) => point.value)).toEqual([0]);
    expect(combineEventMetrics(openTelemetry).isMeasuring?.()).toBe(true);
  });
});
