import { context, propagation } from '@opentelemetry/api';

/**
 * The active OpenTelemetry trace context as W3C headers (`traceparent`, `tracestate`), or
 * `undefined` when there is none: without an SDK, OpenTelemetry's API is a no-op and so is this.
 */
export function activeTraceHeaders(): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] === undefined ? undefined : carrier;
}
