/** The label values of one series of event metrics. */
export type PrometheusLabels = {
  readonly name: string;
  readonly version: string;
  readonly outcome: string;
};

/** One series of {@link PrometheusEventMetrics}: its labels and what it has counted. */
export interface PrometheusSeries {
  readonly labels: PrometheusLabels;
  /** The labels as exposition text, `name="…",version="…",outcome="…"`. */
  readonly text: string;
  count: number;
  sumMs: number;
  readonly buckets: number[];
}

/** One sample as prom-client reads it from a collector. */
export interface PrometheusSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  /** The sample's own name (`…_bucket`, `…_sum`), when not the metric's. */
  readonly metricName?: string;
}

/**
 * A metric as prom-client's `Registry` reads it (`registerMetric`, `metrics()`,
 * `getMetricsAsJSON()`, `resetMetrics()`): structurally, so the server needs no prom-client.
 */
export interface PrometheusCollector {
  /** Writable: an OpenMetrics registry renames counters (`events_total` → `events`). */
  name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: PrometheusSample[];
  }>;
  /** Does nothing: the counts belong to the metrics object, which other readers share. */
  reset(): void;
}

/** Where {@link PrometheusEventMetrics.registerIn} adds its collectors: a prom-client `Registry`. */
export interface PrometheusRegistry {
  readonly registerMetric: (metric: never) => void;
}

/** What the collectors read, live, from a `PrometheusEventMetrics`. */
export interface CollectedEventMetrics {
  series(): Iterable<PrometheusSeries>;
  readonly bucketsMs: readonly number[];
  inFlight(): number;
}

function collector(
  name: string,
  help: string,
  type: PrometheusCollector['type'],
  samples: () => PrometheusSample[],
): PrometheusCollector {
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get() {
      return Promise.resolve({ name: this.name, help, type, aggregator: 'sum', values: samples() });
    },
    reset: () => undefined,
  };
}

function histogramSamples(source: CollectedEventMetrics): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const { labels, buckets, count, sumMs } of source.series()) {
    source.bucketsMs.forEach((bound, index) => {
      const value = buckets[index] ?? 0;
      samples.push({ value, labels: { ...labels, le: bound / 1000 }, metricName: 'events_duration_seconds_bucket' });
    });
    samples.push({ value: count, labels: { ...labels, le: '+Inf' }, metricName: 'events_duration_seconds_bucket' });
    samples.push({ value: sumMs / 1000, labels, metricName: 'events_duration_seconds_sum' });
    samples.push({ value: count, labels, metricName: 'events_duration_seconds_count' });
  }
  return samples;
}

/** The counter, histogram and gauge of event metrics as prom-client collectors. */
export function eventCollectors(source: CollectedEventMetrics): PrometheusCollector[] {
  return [
    collector('events_total', 'Events answered, by event name, version and outcome.', 'counter', () =>
      Array.from(source.series(), ({ labels, count }) => ({ value: count, labels })),
    ),
    collector('events_duration_seconds', 'Time from reading an event to its answer.', 'histogram', () =>
      histogramSamples(source),
    ),
    collector('events_in_flight', 'Events read and not yet answered.', 'gauge', () => [
      { value: source.inFlight(), labels: {} },
    ]),
  ];
}
