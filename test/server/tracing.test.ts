import { EventClient } from '@events-protocol/client';
import { type RequestEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, sendJson } from '../support/http-server.js';

describe('OpenTelemetry', () => {
  const exporter = new InMemorySpanExporter();

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

  describe('with an SDK', () => {
    beforeAll(() => {
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('traces a call through two services as one trace, parent to child', async () => {
      const received: { event: RequestEvent; header: string | undefined }[] = [];
      const stockRegistry = new EventRegistry().register({
        name: 'stock:get',
        handler: (event) => (event.payload === 'gone' ? Promise.reject(new Error('boom')) : { stock: 3 }),
      });
      const stockProcessor = new EventProcessor(stockRegistry);
      await using stock = await listen((request, response) => {
        const header = request.headers['traceparent'];
        void readBody(request).then(async (text) => {
          received.push({
            event: JSON.parse(text) as RequestEvent,
            header: typeof header === 'string' ? header : undefined,
          });
          sendJson(response, 200, await stockProcessor.processEvent(text, { traceCarrier: request.headers }));
        });
      });
      const stockClient = new EventClient({ url: `${stock.origin}/events` });
      const orders = new EventRegistry().register({
        name: 'order:place',
        handler: async (event) => {
          const result = await stockClient.sendEvent({ name: 'stock:get', payload: event.payload });
          return { stock: result.kind };
        },
      });
      await using ordersServer = await listen(createEventServer(new EventProcessor(orders)));
      const caller = new EventClient({ url: `${ordersServer.origin}/events` });

      const tracer = trace.getTracer('test');
      await tracer.startActiveSpan('checkout', async (root) => {
        await caller.sendEvent({ name: 'order:place', payload: 'book', flowId: 'flow-7' });
        await caller.sendEvent({ name: 'order:place', payload: 'gone' });
        root.end();
      });

      const spans = exporter.getFinishedSpans();
      const root = spans.find((span) => span.name === 'checkout')!;
      const [orderSpan] = spans.filter((span) => span.name === 'order:place v1');
      const [stockOk, stockFailed] = spans.filter((span) => span.name === 'stock:get v1');
      expect(orderSpan?.kind).toBe(SpanKind.SERVER);
      expect(orderSpan?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(stockOk?.parentSpanContext?.spanId).toBe(orderSpan?.spanContext().spanId);
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
      expect(orderSpan?.attributes).toMatchObject({
        'events.name': 'order:place',
        'events.version': 1,
        'events.flow_id': 'flow-7',
        'events.outcome': 'success',
      });
      expect(stockFailed?.attributes).toMatchObject({ 'events.outcome': 'error' });
      expect(stockFailed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNHANDLED_ERROR' });
      // The trace context travelled both in the HTTP header and in the event's metadata.
      expect(received[0]?.header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      expect(received[0]?.event.metadata['traceparent']).toBe(received[0]?.header);
      await Promise.all([stockClient.close(), caller.close()]);
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
