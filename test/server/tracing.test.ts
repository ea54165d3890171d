import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { EventClient } from '@events-protocol/client';
import { EventError, EventErrorType, type RequestEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import type * as Api from '@opentelemetry/api';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, sendJson } from '../support/http-server.js';
import { loadTracingSdk } from '../support/open-telemetry-sdk.js';

// The SDK as an application loads it (see loadTracingSdk): our packages must record into the
// provider registered through the SDK's own copy of the API.
const load = createRequire(import.meta.url);
const sdkDirectory = dirname(load.resolve('@opentelemetry/sdk-trace-base'));
const { api, exporter, register, unregister } = loadTracingSdk();
const { SpanKind, SpanStatusCode } = api;

function apiResolvedFrom(packageName: string): string {
  const manifest = load.resolve(`${packageName}/package.json`);
  return createRequire(manifest).resolve('@opentelemetry/api');
}

describe('OpenTelemetry with the real SDK', () => {
  it('loads, in the server and the client, the very copy of the API the SDK registers with', () => {
    const sdkApi = createRequire(`${sdkDirectory}/`).resolve('@opentelemetry/api');
    expect(apiResolvedFrom('@events-protocol/server')).toBe(sdkApi);
    expect(apiResolvedFrom('@events-protocol/client')).toBe(sdkApi);
  });

  it('costs nothing and sends nothing before an SDK is registered', async () => {
    const seen: RequestEvent[] = [];
    await using downstream = await listen((request, response) => {
      void readBody(request).then((text) => {
        const event = JSON.parse(text) as RequestEvent;
        seen.push(event);
        sendJson(response, 200, { ...event, name: `${event.name}:response` });
      });
    });
    const client = new EventClient({ url: `${downstream.origin}/events` });
    await client.sendEvent({ name: 'x' });
    expect(seen[0]?.metadata).toEqual({});
    await client.close();
  });

  describe('registered', () => {
    beforeAll(register);
    afterAll(unregister);

    it('records client → server A → server B as one trace, each span the child of the one before', async () => {
      exporter.reset();
      const stockRegistry = new EventRegistry().register({
        name: 'stock:get',
        handler: (event) => {
          if (event.payload === 'gone') throw new EventError(EventErrorType.NotFound, { code: 'SKU_NOT_FOUND' });
          return { stock: 3 };
        },
      });
      await using stock = await listen(createEventServer(new EventProcessor(stockRegistry)));
      const stockClient = new EventClient({ url: `${stock.origin}/events`, origin: 'orders' });
      const orders = new EventRegistry().register({
        name: 'order:place',
        handler: async (event) => {
          const result = await stockClient.sendEvent({ name: 'stock:get', payload: event.payload });
          return { stock: result.kind };
        },
      });
      await using ordersServer = await listen(createEventServer(new EventProcessor(orders)));
      const caller = new EventClient({ url: `${ordersServer.origin}/events`, origin: 'checkout' });

      const ok = await caller.sendEvent({
        name: 'order:place',
        payload: 'book',
        flowId: 'flow-7',
        identity: { userId: 'u-1' },
      });
      expect(ok.kind).toBe('success');
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => `${span.name} ${SpanKind[span.kind]}`).sort()).toEqual([
        'order:place:V1 CLIENT',
        'order:place:V1 SERVER',
        'stock:get:V1 CLIENT',
        'stock:get:V1 SERVER',
      ]);
      const find = (name: string, kind: Api.SpanKind) =>
        spans.find((span) => span.name === name && span.kind === kind) as SdkTraceBase.ReadableSpan;
      const callOrder = find('order:place:V1', SpanKind.CLIENT);
      const serveOrder = find('order:place:V1', SpanKind.SERVER);
      const callStock = find('stock:get:V1', SpanKind.CLIENT);
      const serveStock = find('stock:get:V1', SpanKind.SERVER);
      expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
      expect(callOrder.parentSpanContext).toBeUndefined();
      expect(serveOrder.parentSpanContext?.spanId).toBe(callOrder.spanContext().spanId);
      expect(callStock.parentSpanContext?.spanId).toBe(serveOrder.spanContext().spanId);
      expect(serveStock.parentSpanContext?.spanId).toBe(callStock.spanContext().spanId);
      expect(callOrder.attributes).toMatchObject({
        'events.name': 'order:place',
        'events.version': 1,
        'events.flow_id': 'flow-7',
        'events.origin': 'checkout',
        'events.outcome': 'success',
        'events.attempts': 1,
      });
      expect(serveOrder.attributes).toMatchObject({
        'events.name': 'order:place',
        'events.version': 1,
        'events.id': ok.request.id,
        'events.flow_id': 'flow-7',
        'events.user_id': 'u-1',
        'events.origin': 'checkout',
        'events.outcome': 'success',
        'events.response': 'order:place:response',
      });
      // The handler's call carries its flowId; the span says so.
      expect(callStock.attributes).toMatchObject({ 'events.flow_id': 'flow-7', 'events.origin': 'orders' });
      for (const span of spans) expect(span.status.code).toBe(SpanStatusCode.UNSET);
      await Promise.all([stockClient.close(), caller.close()]);
    });

    it('marks error answers as errors on both sides, with their code', async () => {
      exporter.reset();
      const processor = new EventProcessor(
        new EventRegistry().register({
          name: 'user:get',
          handler: () => {
            throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
          },
        }),
      );
      await using server = await listen(createEventServer(processor));
      const client = new EventClient({ url: `${server.origin}/events` });
      const answered = await client.sendEvent({ name: 'user:get' });
      const unknown = await client.sendEvent({ name: 'nobody:home', version: 3 });
      expect([answered.kind, unknown.kind]).toEqual(['error', 'error']);
      const byName = (name: string, kind: Api.SpanKind) =>
        exporter.getFinishedSpans().find((span) => span.name === name && span.kind === kind);
      for (const kind of [SpanKind.CLIENT, SpanKind.SERVER]) {
        expect(byName('user:get:V1', kind)).toMatchObject({
          status: { code: SpanStatusCode.ERROR, message: 'USER_NOT_FOUND' },
          attributes: { 'events.outcome': 'notFound', 'events.response': 'user:get:notFound' },
        });
        expect(byName('nobody:home:V3', kind)).toMatchObject({
          status: { code: SpanStatusCode.ERROR, message: 'NO_EVENT_HANDLER_FOUND' },
          attributes: { 'events.outcome': 'eventNotFound' },
        });
      }
      await client.close();
    });

    it('marks a call that got no answer as an error of the client span', async () => {
      exporter.reset();
      await using silent = await listen(() => undefined);
      const unreachable = new EventClient({ url: 'http://127.0.0.1:1/events' });
      const waiting = new EventClient({ url: `${silent.origin}/events`, timeout: 200 });
      expect((await waiting.sendEvent({ name: 'slow' })).kind).toBe('timeout');
      expect((await unreachable.sendEvent({ name: 'far' })).kind).toBe('failedDependency');
      const spans = exporter.getFinishedSpans();
      expect(spans.find((span) => span.name === 'slow:V1')).toMatchObject({
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.ERROR, message: 'TIMEOUT' },
        attributes: { 'events.outcome': 'timeout' },
      });
      expect(spans.find((span) => span.name === 'far:V1')).toMatchObject({
        status: { code: SpanStatusCode.ERROR, message: 'FAILED_DEPENDENCY' },
        attributes: { 'events.outcome': 'failedDependency' },
      });
      await Promise.all([waiting.close(), unreachable.close()]);
    });

    it('continues a trace of the application, over HTTP headers and inside the event', async () => {
      exporter.reset();
      const seen: { event: RequestEvent; header: unknown }[] = [];
      await using downstream = await listen((request, response) => {
        void readBody(request).then((text) => {
          const event = JSON.parse(text) as RequestEvent;
          seen.push({ event, header: request.headers['traceparent'] });
          sendJson(response, 200, { ...event, name: `${event.name}:response` });
        });
      });
      const client = new EventClient({ url: `${downstream.origin}/events` });
      const root = api.trace.getTracer('test').startSpan('checkout');
      await api.context.with(api.trace.setSpan(api.context.active(), root), () => client.sendEvent({ name: 'x' }));
      root.end();
      const call = exporter.getFinishedSpans().find((span) => span.name === 'x:V1');
      expect(call?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      const traceparent = `00-${root.spanContext().traceId}-${call?.spanContext().spanId}-01`;
      expect(seen[0]?.header).toBe(traceparent);
      expect(seen[0]?.event.metadata['traceparent']).toBe(traceparent);
      await client.close();
    });

    it('reads the trace context from metadata when no header carries it', async () => {
      exporter.reset();
      const processor = new EventProcessor(new EventRegistry().register({ name: 'ping', handler: () => 'pong' }));
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await processor.processEvent({ name: 'ping', version: 1, id: 'i', flowId: 'f', metadata: { traceparent } });
      const [span] = exporter.getFinishedSpans();
      expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    });
  });
});
