import type { Tracer } from '@opentelemetry/api';
import type { RequestEvent } from '@events-protocol/core';
import { CallMetrics } from './call-metrics.js';
import { openTelemetryApi, type OpenTelemetryApi } from './open-telemetry.js';
import { failureCode, outcomeName, type SendResult } from './send-result.js';

/** What a client traces and measures with: OpenTelemetry's global tracer and meter. */
export interface ClientTracer {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
  /** The call duration and count instruments; none: calls are not measured. */
  readonly metrics?: CallMetrics;
}

/** The span (and measurement) of one call, from `sendEvent` until its outcome, retries included. */
export interface CallSpan {
  /**
   * The span's context as W3C headers (`traceparent`, `tracestate`): the server's span is its
   * child. Without a span of its own, the active context's, if any.
   */
  readonly headers: Record<string, string> | undefined;
  /** Records the outcome and ends the span. */
  end(result: SendResult): SendResult;
  /** Records what the call threw (cancelled, not serialisable) and ends the span. */
  fail(error: unknown): void;
}

/** The client's tracer and call metrics, or `undefined` when `@opentelemetry/api` is not installed. */
export function clientTracer(): ClientTracer | undefined {
  const api = openTelemetryApi();
  return api === undefined
    ? undefined
    : { api, tracer: api.trace.getTracer('@events-protocol/client'), metrics: new CallMetrics(api) };
}

// ProxyTracerProvider is deprecated for removal in API 2.x, which our <1.10 range excludes; in 1.x
// it is the only way to tell "no SDK registered" without opening a span per call.
/* eslint-disable @typescript-eslint/no-deprecated */
const noopDelegates = new WeakMap<OpenTelemetryApi, unknown>();

function isTracingOn(api: OpenTelemetryApi): boolean {
  const provider = api.trace.getTracerProvider();
  if (!(provider instanceof api.ProxyTracerProvider)) return true;
  let noop = noopDelegates.get(api);
  if (noop === undefined) {
    noop = new api.ProxyTracerProvider().getDelegate();
    noopDelegates.set(api, noop);
  }
  return provider.getDelegate() !== noop;
}
/* eslint-enable @typescript-eslint/no-deprecated */

/**
 * The active trace context as W3C headers, or `undefined` when there is none: what a call carries
 * when no SDK records spans of its own (a context another library made still travels).
 */
export function activeTraceHeaders(api: OpenTelemetryApi): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  return carrier['traceparent'] === undefined ? undefined : carrier;
}

/**
 * Opens a `CLIENT` span for a call, named `<name>:V<version>`, child of the active context, and
 * times it when a meter provider is registered. `undefined` when nothing records it (no SDK, or
 * sampled out and not measured): then the call does no tracing work beyond carrying the active
 * context.
 */
export function startCallSpan(tracing: ClientTracer, request: RequestEvent): CallSpan | undefined {
  const span = openCallSpan(tracing, request);
  const metrics = tracing.metrics;
  if (metrics === undefined || !metrics.isMeasuring()) return span;
  const startedMs = performance.now();
  return {
    headers: span === undefined ? activeTraceHeaders(tracing.api) : span.headers,
    end(result) {
      metrics.record(result, startedMs);
      return span === undefined ? result : span.end(result);
    },
    fail(error) {
      span?.fail(error);
    },
  };
}

/** The span of {@link startCallSpan}, when something records it. */
function openCallSpan(tracing: ClientTracer, request: RequestEvent): CallSpan | undefined {
  const { api, tracer } = tracing;
  if (!isTracingOn(api)) return undefined;
  const parent = api.context.active();
  const span = tracer.startSpan(`${request.name}:V${request.version}`, { kind: api.SpanKind.CLIENT }, parent);
  if (!span.isRecording()) return undefined;
  const attributes: Record<string, string | number> = {
    'events.name': request.name,
    'events.version': request.version,
    'events.id': request.id,
    'events.flow_id': request.flowId,
  };
  const origin = request.metadata['origin'];
  if (typeof origin === 'string') attributes['events.origin'] = origin;
  span.setAttributes(attributes);
  const headers: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(parent, span), headers);
  return {
    headers,
    end(result) {
      span.setAttribute('events.attempts', result.attempts);
      if (result.kind === 'success' || result.kind === 'error') span.setAttribute('events.response', result.event.name);
      span.setAttribute('events.outcome', outcomeName(result));
      if (result.kind !== 'success') span.setStatus({ code: api.SpanStatusCode.ERROR, message: failureCode(result) });
      span.end();
      return result;
    },
    fail(error) {
      span.recordException(error instanceof Error ? error : String(error));
      const code = (error as { code?: unknown } | null)?.code;
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: typeof code === 'string' ? code : String(error) });
      span.end();
    },
  };
}
