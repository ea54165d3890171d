import type { Tracer } from '@opentelemetry/api';
import { EventBuilder, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import type { OpenTelemetryApi } from './open-telemetry.js';
import type { SendResult } from './send-result.js';
import { activeTraceHeaders, startCallSpan } from './trace-context.js';

/** What a fake span recorded. */
interface RecordedSpan {
  name: string;
  kind: unknown;
  parent: unknown;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  exceptions: unknown[];
  ended: boolean;
}

const activeContext = { active: true };
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** A stand-in for `@opentelemetry/api` with an SDK registered: enough of it for the client's tracing. */
function fakeApi(options: { recording: boolean; activeTrace: boolean }) {
  const spans: RecordedSpan[] = [];
  class ProxyTracerProvider {
    getDelegate(): unknown {
      return this;
    }
  }
  const api = {
    ProxyTracerProvider,
    SpanKind: { CLIENT: 2 },
    SpanStatusCode: { ERROR: 2 },
    context: { active: () => activeContext },
    trace: {
      getTracerProvider: () => ({ registered: true }),
      setSpan: (parent: unknown, span: unknown) => ({ parent, span }),
    },
    propagation: {
      inject: (context: unknown, carrier: Record<string, string>) => {
        if (context !== activeContext || options.activeTrace) carrier['traceparent'] = traceparent;
      },
    },
  } as unknown as OpenTelemetryApi;
  const tracer = {
    startSpan: (name: string, spanOptions: { kind: unknown }, parent: unknown) => {
      const span: RecordedSpan = { name, kind: spanOptions.kind, parent, attributes: {}, exceptions: [], ended: false };
      spans.push(span);
      return {
        isRecording: () => options.recording,
        setAttributes: (attributes: Record<string, unknown>) => Object.assign(span.attributes, attributes),
        setAttribute: (key: string, value: unknown) => (span.attributes[key] = value),
        setStatus: (status: { code: number; message?: string }) => (span.status = status),
        recordException: (error: unknown) => span.exceptions.push(error),
        end: () => (span.ended = true),
      };
    },
  } as unknown as Tracer;
  return { tracing: { api, tracer }, spans };
}

const request = EventBuilder.request({ name: 'user:get', payload: null, version: 2, metadata: { origin: 'checkout' } });

describe('startCallSpan', () => {
  it('opens a CLIENT span named <name>:V<version> with the event attributes, and its context as headers', () => {
    const { tracing, spans } = fakeApi({ recording: true, activeTrace: false });
    const span = startCallSpan(tracing, request);
    expect(span?.headers).toEqual({ traceparent });
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'user:get:V2',
      kind: 2,
      parent: activeContext,
      attributes: {
        'events.name': 'user:get',
        'events.version': 2,
        'events.id': request.id,
        'events.flow_id': request.flowId,
        'events.origin': 'checkout',
      },
    });
  });

  it('records a success without an error status, and any other outcome with its code', () => {
    const { tracing, spans } = fakeApi({ recording: true, activeTrace: false });
    const success: SendResult = {
      kind: 'success',
      redirect: false,
      event: EventBuilder.responseFor(request, {}),
      request,
      attempts: 2,
    };
    expect(startCallSpan(tracing, request)?.end(success)).toBe(success);
    expect(spans[0]).toMatchObject({
      ended: true,
      attributes: { 'events.attempts': 2, 'events.outcome': 'success', 'events.response': 'user:get:response' },
    });
    expect(spans[0]?.status).toBeUndefined();
    const answer = EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
    startCallSpan(tracing, request)?.end({ kind: 'error', errorType: 'notFound', event: answer, request, attempts: 1 });
    expect(spans[1]).toMatchObject({
      attributes: { 'events.outcome': 'notFound' },
      status: { code: 2, message: 'USER_NOT_FOUND' },
    });
    startCallSpan(tracing, request)?.end({ kind: 'timeout', timeoutMs: 5, request, attempts: 1 });
    expect(spans[2]).toMatchObject({ attributes: { 'events.outcome': 'timeout' }, status: { message: 'TIMEOUT' } });
  });

  it('records what a call threw, with its code', () => {
    const { tracing, spans } = fakeApi({ recording: true, activeTrace: false });
    const error = Object.assign(new Error('cancelled'), { code: 'ABORTED' });
    startCallSpan(tracing, request)?.fail(error);
    expect(spans[0]).toMatchObject({ ended: true, exceptions: [error], status: { code: 2, message: 'ABORTED' } });
  });

  it('is undefined when the span does not record (sampled out)', () => {
    const { tracing } = fakeApi({ recording: false, activeTrace: false });
    expect(startCallSpan(tracing, request)).toBeUndefined();
  });
});

describe('activeTraceHeaders', () => {
  it('carries the active trace context, and nothing without one', () => {
    expect(activeTraceHeaders(fakeApi({ recording: false, activeTrace: true }).tracing.api)).toEqual({ traceparent });
    expect(activeTraceHeaders(fakeApi({ recording: false, activeTrace: false }).tracing.api)).toBeUndefined();
  });
});
