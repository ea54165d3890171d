/** One answered event, as metrics see it. */
export interface EventMeasurement {
  /** The request's name, or `undefined` when the body was not a readable event (`badProtocol`). */
  readonly name: string | undefined;
  readonly version: number | undefined;
  /** `success`, `redirect`, or the error type (`notFound`, `eventNotFound`, `badProtocol`…). */
  readonly outcome: string;
  /** From reading the body to the answer, in ms. */
  readonly durationMs: number;
}

/**
 * Where the processor reports every answered event: implement it for your metrics system
 * (Prometheus, StatsD, OpenTelemetry metrics), or use {@link PrometheusEventMetrics}.
 */
export interface EventMetrics {
  recordEvent(measurement: EventMeasurement): void;
}
