import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { CallMetricNames, EventClient } from '@events-protocol/client';
import { EventError, EventErrorType } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import type * as Api from '@opentelemetry/api';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listen } from '../support/http-server.js';
import { CollectingReader, metricsSdk as sdk } from '../support/collecting-metric-reader.js';

// Loaded as an application loads them; registered through the API copy the SDK resolves.
const load = createRequire(import.meta.url);
const clientScope = { name: '@events-protocol/client' };
const traceSdk = load('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
const api = createRequire(`${dirname(load.resolve('@opentelemetry/sdk-metrics'))}/`)(
  '@opentelemetry/api',
) as typeof Api;

const registry = new EventRegistry().register({
  name: 'user:get',
  handler: (event) => {
    if (event.payload === 'nobody') throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
    return { id: 1 };
  },
});

/** Two successes, one notFound, one timeout and one failed dependency: every kind of outcome. */
async function callEveryWay(origin: string, silentOrigin: string): Promise<void> {
  const client = new EventClient({ url: `${origin}/events` });
  const waiting = new EventClient({ url: `${silentOrigin}/events`, timeout: 200 });
  const unreachable = new EventClient({ url: 'http://127.0.0.1:1/events' });
  const kinds = [
    (await client.sendEvent({ name: 'user:get' })).kind,
    (await client.sendEvent({ name: 'user:get', payload: 'x' })).kind,
    (await client.sendEvent({ name: 'user:get', payload: 'nobody' })).kind,
    (await waiting.sendEvent({ name: 'report:slow', version: 2 })).kind,
    (await unreachable.sendEvent({ name: 'far:away' })).kind,
  ];
  expect(kinds).toEqual(['success', 'success', 'error', 'timeout', 'failedDependency']);
  await Promise.all([client.close(), waiting.close(), unreachable.close()]);
}

describe('client call metrics with the real OpenTelemetry SDK', () => {
  afterEach(() => {
    api.metrics.disable();
    api.trace.disable();
  });

  it('counts and times every call by name, version and outcome', async () => {
    const reader = new CollectingReader(clientScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    await using silent = await listen(() => undefined);
    await callEveryWay(server.origin, silent.origin);

    const found = await reader.byName();
    const calls = (found.get(CallMetricNames.calls)?.dataPoints ?? []).map((point) => ({
      ...point.attributes,
      calls: point.value,
    }));
    expect(calls).toEqual(
      expect.arrayContaining([
        { 'events.name': 'user:get', 'events.version': 1, 'events.outcome': 'success', calls: 2 },
        { 'events.name': 'user:get', 'events.version': 1, 'events.outcome': 'notFound', calls: 1 },
        { 'events.name': 'report:slow', 'events.version': 2, 'events.outcome': 'timeout', calls: 1 },
        { 'events.name': 'far:away', 'events.version': 1, 'events.outcome': 'failedDependency', calls: 1 },
      ]),
    );
    expect(calls).toHaveLength(4);
    const duration = found.get(CallMetricNames.duration);
    expect(duration?.descriptor.unit).toBe('ms');
    const points = (duration?.dataPoints ?? []) as SdkMetrics.DataPoint<SdkMetrics.Histogram>[];
    const timedOut = points.find((point) => point.attributes['events.outcome'] === 'timeout')?.value;
    expect(timedOut?.buckets.boundaries).toEqual([1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]);
    // In ms, not seconds: a call given 200 ms before it timed out took more than 100 of them.
    expect(timedOut?.min).toBeGreaterThan(100);
    expect(points.reduce((total, point) => total + point.value.count, 0)).toBe(5);
  });

  it('still ends the call span, with its attributes and status, while measuring', async () => {
    const reader = new CollectingReader(clientScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    const exporter = new traceSdk.InMemorySpanExporter();
    api.trace.setGlobalTracerProvider(
      new traceSdk.BasicTracerProvider({ spanProcessors: [new traceSdk.SimpleSpanProcessor(exporter)] }),
    );
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const client = new EventClient({ url: `${server.origin}/events`, origin: 'admin' });
    expect((await client.sendEvent({ name: 'user:get', payload: 'nobody' })).kind).toBe('error');
    const call = exporter.getFinishedSpans().find((span) => span.kind === api.SpanKind.CLIENT);
    expect(call).toMatchObject({
      name: 'user:get:V1',
      status: { code: api.SpanStatusCode.ERROR, message: 'USER_NOT_FOUND' },
      attributes: {
        'events.name': 'user:get',
        'events.version': 1,
        'events.origin': 'admin',
        'events.outcome': 'notFound',
        'events.response': 'user:get:notFound',
        'events.attempts': 1,
      },
    });
    const calls = (await reader.byName()).get(CallMetricNames.calls)?.dataPoints ?? [];
    expect(calls.map((point) => point.value)).toEqual([1]);
    await client.close();
  });

  it('makes no instrument and records nothing before a meter provider is registered', async () => {
    const noop = api.createNoopMeter();
    const histogram = vi.spyOn(noop, 'createHistogram');
    const counter = vi.spyOn(noop, 'createCounter');
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const client = new EventClient({ url: `${server.origin}/events` });
    expect((await client.sendEvent({ name: 'user:get' })).kind).toBe('success');
    expect([histogram.mock.calls.length, counter.mock.calls.length]).toEqual([0, 0]);
    // Registered afterwards, the same client measures its next call.
    const reader = new CollectingReader(clientScope);
    api.metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
    expect((await client.sendEvent({ name: 'user:get' })).kind).toBe('success');
    const calls = (await reader.byName()).get(CallMetricNames.calls)?.dataPoints ?? [];
    expect(calls.map((point) => point.value)).toEqual([1]);
    await client.close();
  });
});
