import type { EventMeasurement, EventMetrics } from './event-metrics.js';
import {
  eventCollectors,
  type PrometheusCollector,
  type PrometheusRegistry,
  type PrometheusSeries,
} from './prometheus-collectors.js';

/** Histogram bucket bounds in ms by default: 1 ms to 10 s. */
export const defaultDurationBucketsMs: readonly number[] = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Counts events and their durations per name, version and outcome, and writes them in the
 * Prometheus text format: `events_total` (counter), `events_duration_seconds` (histogram) and
 * `events_in_flight` (gauge). Serve {@link toPrometheusText} on a `/metrics` route, or add them to
 * a prom-client registry with {@link registerIn}.
 *
 * @example
 * const metrics = new PrometheusEventMetrics();
 * const processor = new EventProcessor(registry, { metrics });
 * app.get('/metrics', (_req, res) => res.type('text/plain; version=0.0.4').send(metrics.toPrometheusText()));
 */
export class PrometheusEventMetrics implements EventMetrics {
  readonly #series = new Map<string, PrometheusSeries>();
  readonly #bucketsMs: readonly number[];
  #inFlight = 0;

  constructor(options: { bucketsMs?: readonly number[] } = {}) {
    this.#bucketsMs = [...(options.bucketsMs ?? defaultDurationBucketsMs)].sort((a, b) => a - b);
  }

  /** Counts an event in flight. */
  startEvent(): void {
    this.#inFlight++;
  }

  /** Counts an answered event and its duration. */
  recordEvent({ name, version, outcome, durationMs }: EventMeasurement): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const labels = {
      name: name ?? '',
      version: version === undefined ? '' : String(version),
      outcome,
    };
    const text = `name="${escapeLabel(labels.name)}",version="${labels.version}",outcome="${escapeLabel(outcome)}"`;
    let series = this.#series.get(text);
    if (series === undefined) {
      series = { labels, text, count: 0, sumMs: 0, buckets: this.#bucketsMs.map(() => 0) };
      this.#series.set(text, series);
    }
    series.count++;
    series.sumMs += durationMs;
    for (let index = 0; index < this.#bucketsMs.length; index++) {
      if (durationMs <= (this.#bucketsMs[index] ?? Infinity)) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
    }
  }

  /**
   * The three metrics as prom-client collectors (objects with `name`, `help`, `type` and `get()`),
   * for `registry.registerMetric`; {@link registerIn} registers them all.
   */
  collectors(): readonly PrometheusCollector[] {
    return eventCollectors({
      series: () => this.#series.values(),
      bucketsMs: this.#bucketsMs,
      inFlight: () => this.#inFlight,
    });
  }

  /**
   * Adds the metrics to a prom-client `Registry` (`register` for its global one), so they are
   * served by `registry.metrics()` beside the application's own. The server does not depend on
   * prom-client: any registry with `registerMetric` will do.
   *
   * @example
   * import { Registry } from 'prom-client';
   * const registry = new Registry();
   * new PrometheusEventMetrics().registerIn(registry);
   *
   * @throws whatever the registry throws for a name already registered (`events_total`…).
   */
  registerIn(registry: PrometheusRegistry): void {
    for (const collector of this.collectors()) registry.registerMetric(collector as never);
  }

  /** The counters and histograms in the Prometheus text exposition format (version 0.0.4). */
  toPrometheusText(): string {
    const lines = [
      '# HELP events_total Events answered, by event name, version and outcome.',
      '# TYPE events_total counter',
    ];
    for (const series of this.#series.values()) lines.push(`events_total{${series.text}} ${series.count}`);
    lines.push(
      '# HELP events_duration_seconds Time from reading an event to its answer.',
      '# TYPE events_duration_seconds histogram',
    );
    for (const series of this.#series.values()) {
      this.#bucketsMs.forEach((bound, index) => {
        lines.push(`events_duration_seconds_bucket{${series.text},le="${bound / 1000}"} ${series.buckets[index] ?? 0}`);
      });
      lines.push(`events_duration_seconds_bucket{${series.text},le="+Inf"} ${series.count}`);
      lines.push(`events_duration_seconds_sum{${series.text}} ${series.sumMs / 1000}`);
      lines.push(`events_duration_seconds_count{${series.text}} ${series.count}`);
    }
    lines.push(
      '# HELP events_in_flight Events read and not yet answered.',
      '# TYPE events_in_flight gauge',
      `events_in_flight ${this.#inFlight}`,
    );
    return `${lines.join('\n')}\n`;
  }
}
