import type { EventMeasurement, EventMetrics } from './event-metrics.js';

/** Histogram bucket bounds in ms by default: 1 ms to 10 s. */
export const defaultDurationBucketsMs: readonly number[] = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
];

interface Series {
  readonly labels: string;
  count: number;
  sumMs: number;
  readonly buckets: number[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Counts events and their durations per name, version and outcome, and writes them in the
 * Prometheus text format: `events_total` (counter) and `events_duration_seconds` (histogram).
 * Serve {@link toPrometheusText} on a `/metrics` route.
 *
 * @example
 * const metrics = new PrometheusEventMetrics();
 * const processor = new EventProcessor(registry, { metrics });
 * app.get('/metrics', (_req, res) => res.type('text/plain; version=0.0.4').send(metrics.toPrometheusText()));
 */
export class PrometheusEventMetrics implements EventMetrics {
  readonly #series = new Map<string, Series>();
  readonly #bucketsMs: readonly number[];

  constructor(options: { bucketsMs?: readonly number[] } = {}) {
    this.#bucketsMs = [...(options.bucketsMs ?? defaultDurationBucketsMs)].sort((a, b) => a - b);
  }

  recordEvent({ name, version, outcome, durationMs }: EventMeasurement): void {
    const labels = `name="${escapeLabel(name ?? '')}",version="${version === undefined ? '' : String(version)}",outcome="${escapeLabel(outcome)}"`;
    let series = this.#series.get(labels);
    if (series === undefined) {
      series = { labels, count: 0, sumMs: 0, buckets: this.#bucketsMs.map(() => 0) };
      this.#series.set(labels, series);
    }
    series.count++;
    series.sumMs += durationMs;
    for (let index = 0; index < this.#bucketsMs.length; index++) {
      if (durationMs <= (this.#bucketsMs[index] ?? Infinity)) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
    }
  }

  /** The counters and histograms in the Prometheus text exposition format (version 0.0.4). */
  toPrometheusText(): string {
    const lines = [
      '# HELP events_total Events answered, by event name, version and outcome.',
      '# TYPE events_total counter',
    ];
    for (const series of this.#series.values()) lines.push(`events_total{${series.labels}} ${series.count}`);
    lines.push(
      '# HELP events_duration_seconds Time from reading an event to its answer.',
      '# TYPE events_duration_seconds histogram',
    );
    for (const series of this.#series.values()) {
      this.#bucketsMs.forEach((bound, index) => {
        lines.push(
          `events_duration_seconds_bucket{${series.labels},le="${bound / 1000}"} ${series.buckets[index] ?? 0}`,
        );
      });
      lines.push(`events_duration_seconds_bucket{${series.labels},le="+Inf"} ${series.count}`);
      lines.push(`events_duration_seconds_sum{${series.labels}} ${series.sumMs / 1000}`);
      lines.push(`events_duration_seconds_count{${series.labels}} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
