import type { EventMeasurement, EventMetrics } from './event-metrics.js';

/** Several metrics as one: each event is measured when any of them measures, and all are told. */
class CombinedEventMetrics implements EventMetrics {
  readonly #members: readonly EventMetrics[];

  constructor(members: readonly EventMetrics[]) {
    this.#members = members;
  }

  isMeasuring(): boolean {
    for (const member of this.#members) if (member.isMeasuring?.() ?? true) return true;
    return false;
  }

  startEvent(): void {
    for (const member of this.#members) member.startEvent?.();
  }

  recordEvent(measurement: EventMeasurement): void {
    for (const member of this.#members) member.recordEvent(measurement);
  }
}

/**
 * Reports every event to several metrics at once, e.g. a Prometheus endpoint and OpenTelemetry.
 * Every member sees every measured event, including one that says it is not measuring (it ignores
 * it), so each one's count of events in flight stays exact.
 *
 * @example
 * const metrics = combineEventMetrics(new PrometheusEventMetrics(), new OpenTelemetryEventMetrics());
 * const processor = new EventProcessor(registry, { metrics });
 */
export function combineEventMetrics(...metrics: readonly EventMetrics[]): EventMetrics {
  return new CombinedEventMetrics(metrics);
}
