import type { Context, TextMapGetter, Tracer } from '@opentelemetry/api';
import { readResponseOutcome, type RequestEvent, type ResponseEvent } from '@events-protocol/core';
import { openTelemetryApi, type OpenTelemetryApi } from './open-telemetry.js';
import type { TraceCarrier } from './trace-carrier.js';

const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  },
};

/** The span of one event while it is answered. */
interface EventSpan {
  /** Runs `work` with the span active: handlers run in it, so the calls they make become its children. */
  run<TResult>(work: () => TResult): TResult;
  /** Records the outcome and ends the span. */
  end(answer: ResponseEvent): ResponseEvent;
}

/** What a processor traces with: OpenTelemetry's global tracer, or nothing without `@opentelemetry/api`. */
interface EventTracer {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
  /** What the global provider delegates to while no SDK is registered: the API's no-op provider. */
  readonly noopDelegate: unknown;
}

// ProxyTracerProvider is deprecated for removal in API 2.x, which our <1.10 range excludes; in 1.x
// it is the only way to tell "no SDK registered" without opening a span per event.
/* eslint-disable @typescript-eslint/no-deprecated */

/**
 * The tracer a processor uses: OpenTelemetry's global one, a no-op until an SDK registers, or
 * `undefined` when `@opentelemetry/api` is not installed.
 */
export function eventTracer(): EventTracer | undefined {
  const api = openTelemetryApi();
  if (api === undefined) return undefined;
  const noopDelegate: unknown = new api.ProxyTracerProvider().getDelegate();
  return { api, tracer: api.trace.getTracer('@events-protocol/server'), noopDelegate };
}

/**
 * Whether an SDK has registered a tracer provider: until one does, there is no span to open.
 * Asked for every event (an SDK may register at any time), so it reads two properties and
 * compares, with nothing looked up in a map.
 */
function isTracingOn(tracing: EventTracer): boolean {
  const provider = tracing.api.trace.getTracerProvider();
  if (!(provider instanceof tracing.api.ProxyTracerProvider)) return true;
  return provider.getDelegate() !== tracing.noopDelegate;
}
/* eslint-enable @typescript-eslint/no-deprecated */

/**
 * Opens a server span for an event, named `<name>:V<version>`, child of the caller's trace
 * context (W3C `traceparent` from the HTTP headers, else from `metadata`). Returns `undefined`
 * when nothing records it (no API, no SDK, or sampled out): then the event runs with no tracing
 * work at all.
 */
export function startEventSpan(
  tracing: EventTracer | undefined,
  event: RequestEvent,
  carrier: TraceCarrier | undefined,
): EventSpan | undefined {
  if (tracing === undefined || !isTracingOn(tracing)) return undefined;
  const { api, tracer } = tracing;
  const fromCarrier = carrier === undefined ? undefined : carrierGetter.get(carrier, 'traceparent');
  const source =
    fromCarrier !== undefined
      ? carrier
      : typeof event.metadata['traceparent'] === 'string'
        ? event.metadata
        : undefined;
  // No caller context: the parent is whatever is active here (nothing, over HTTP).
  const parent =
    source === undefined ? api.context.active() : api.propagation.extract(api.ROOT_CONTEXT, source, carrierGetter);
  const span = tracer.startSpan(`${event.name}:V${event.version}`, { kind: api.SpanKind.SERVER }, parent);
  if (!span.isRecording()) return undefined;
  span.setAttributes(eventAttributes(event));
  const active: Context = api.trace.setSpan(parent, span);
  return {
    run: (work) => api.context.with(active, work),
    end(answer) {
      const outcome = readResponseOutcome(answer.name);
      span.setAttribute('events.outcome', outcome.kind === 'error' ? outcome.errorType : outcome.kind);
      span.setAttribute('events.response', answer.name);
      if (outcome.kind === 'error') {
        const code = (answer.payload as { code?: unknown } | null)?.code;
        span.setStatus({
          code: api.SpanStatusCode.ERROR,
          message: typeof code === 'string' ? code : outcome.errorType,
        });
      }
      span.end();
      return answer;
    },
  };
}

/** The attributes the protocol names for an event's span: name, version, id, flowId, user and origin. */
function eventAttributes(event: RequestEvent): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    'events.name': event.name,
    'events.version': event.version,
    'events.id': event.id,
    'events.flow_id': event.flowId,
  };
  const userId = event.identity['userId'];
  if (typeof userId === 'string' || typeof userId === 'number') attributes['events.user_id'] = String(userId);
  const origin = event.metadata['origin'];
  if (typeof origin === 'string') attributes['events.origin'] = origin;
  return attributes;
}
