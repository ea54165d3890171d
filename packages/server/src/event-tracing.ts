import {
  context,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { readResponseOutcome, type RequestEvent, type ResponseEvent } from '@events-protocol/core';

/** Where a caller's trace context travels: HTTP headers, or the event's `metadata` (`traceparent`, `tracestate`). */
export type TraceCarrier = Readonly<Record<string, unknown>>;

const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  },
};

/** The span of one event while it is answered. */
export interface EventSpan {
  /** The context with the span active: handlers run in it, so their calls become its children. */
  readonly context: Context;
  /** Records the outcome and ends the span. */
  end(answer: ResponseEvent): ResponseEvent;
}

/** The tracer the processor uses: OpenTelemetry's global one, a no-op until an SDK registers. */
export function eventTracer(): Tracer {
  return trace.getTracer('@events-protocol/server');
}

// ProxyTracerProvider is deprecated for removal in API 2.x, which our ^1.9 range excludes; in 1.x
// it is the only way to tell "no SDK registered" without opening a span per event.
/* eslint-disable @typescript-eslint/no-deprecated */
// What the global provider delegates to while no SDK is registered: the API's no-op provider.
const noopDelegate = new ProxyTracerProvider().getDelegate();

/** Whether an SDK has registered a tracer provider: until one does, there is no span to open. */
function isTracingOn(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== noopDelegate;
}
/* eslint-enable @typescript-eslint/no-deprecated */

/**
 * Opens a server span for an event, child of the caller's trace context (W3C `traceparent` from
 * the HTTP headers, else from `metadata`). Returns `undefined` when nothing records it (no SDK, or
 * sampled out): then the event runs with no tracing work at all.
 */
export function startEventSpan(
  tracer: Tracer,
  event: RequestEvent,
  carrier: TraceCarrier | undefined,
): EventSpan | undefined {
  if (!isTracingOn()) return undefined;
  const fromCarrier = carrier === undefined ? undefined : carrierGetter.get(carrier, 'traceparent');
  const source =
    fromCarrier !== undefined
      ? carrier
      : typeof event.metadata['traceparent'] === 'string'
        ? event.metadata
        : undefined;
  // No caller context: the parent is whatever is active here (nothing, over HTTP).
  const parent = source === undefined ? context.active() : propagation.extract(ROOT_CONTEXT, source, carrierGetter);
  const span = tracer.startSpan(`${event.name} v${event.version}`, { kind: SpanKind.SERVER }, parent);
  if (!span.isRecording()) return undefined;
  span.setAttributes({
    'events.name': event.name,
    'events.version': event.version,
    'events.id': event.id,
    'events.flow_id': event.flowId,
  });
  return {
    context: trace.setSpan(parent, span),
    end(answer) {
      const outcome = readResponseOutcome(answer.name);
      span.setAttribute('events.outcome', outcome.kind === 'error' ? outcome.errorType : outcome.kind);
      span.setAttribute('events.response', answer.name);
      if (outcome.kind === 'error') {
        const code = (answer.payload as { code?: unknown } | null)?.code;
        span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : outcome.errorType });
      }
      span.end();
      return answer;
    },
  };
}

/** Runs `work` with the span's context active. */
export function runInSpan<TResult>(span: EventSpan, work: () => TResult): TResult {
  return context.with(span.context, work);
}
