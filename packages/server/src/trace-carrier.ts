/** Where a caller's trace context travels: HTTP headers, or the event's `metadata` (`traceparent`, `tracestate`). */
export type TraceCarrier = Readonly<Record<string, unknown>>;
