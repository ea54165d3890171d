/** One answered event, as metrics see it. */
export interface EventMeasurement {
  /**
   * The request's name; `undefined` for `badProtocol` (no readable event) and `eventNotFound`
   * (the name is whatever the caller sent: labelling by it would let any caller create series
   * without bound).
   */
  readonly name: string | undefined;
  /** The request's version; `undefined` when {@link name} is. */
  readonly version: number | undefined;
  /** `success`, `redirect`, or the error type (`notFound`, `eventNotFound`, `badProtocol`…). */
  readonly outcome: string;
  /** From reading the body to the answer, in ms. */
  readonly durationMs: number;
}

/**
 * Where the processor reports every answered event: implement it for your metrics system
 * (Prometheus, StatsD, OpenTelemetry metrics), or use {@link PrometheusEventMetrics} or
 * `OpenTelemetryEventMetrics`; {@link combineEventMetrics} reports to several.
 */
export interface EventMetrics {
  /**
   * Optional: whether anything would read a measurement of the next event. `false` (no
   * OpenTelemetry SDK registered, say) and the processor reads no clock, builds nothing and calls
   * neither {@link startEvent} nor {@link recordEvent} for that event. Absent: always measure.
   */
  isMeasuring?(): boolean;
  /** Optional: an event starts (for a count of events in flight); exactly one {@link recordEvent} follows. */
  startEvent?(): void;
  /** An event was answered. */
  recordEvent(measurement: EventMeasurement): void;
}
