import type { QueueReading } from './delivery-measurement.js';
import { labelText, type CounterSeriesSet, type HistogramSeriesSet } from './delivery-series.js';

/** What a `DeliveryMetrics` has counted, as the text writer reads it. */
export interface ObservedDeliverySeries {
  readonly attempts: CounterSeriesSet;
  readonly givenUp: CounterSeriesSet;
  readonly attemptDurations: HistogramSeriesSet;
  readonly latencies: HistogramSeriesSet;
}

function header(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function histogram(lines: string[], name: string, help: string, set: HistogramSeriesSet): void {
  header(lines, name, 'histogram', help);
  for (const series of set.series()) {
    let cumulative = 0;
    set.boundsMs.forEach((bound, index) => {
      cumulative += series.buckets[index] ?? 0;
      lines.push(`${name}_bucket{${series.labels},le="${bound / 1000}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{${series.labels},le="+Inf"} ${series.count}`);
    lines.push(`${name}_sum{${series.labels}} ${series.sumMs / 1000}`);
    lines.push(`${name}_count{${series.labels}} ${series.count}`);
  }
}

function gauge(
  lines: string[],
  name: string,
  help: string,
  readings: readonly QueueReading[],
  value: (reading: QueueReading & { up: true }) => number,
): void {
  header(lines, name, 'gauge', help);
  for (const reading of readings) {
    if (reading.up) lines.push(`${name}{${labelText({ outbox: reading.outbox })}} ${value(reading)}`);
  }
}

/**
 * Delivery metrics in the Prometheus text exposition format: the counters and histograms of
 * observed attempts, and the gauges of one reading of every watched outbox (an outbox whose store
 * failed has `outbox_up 0` and no other gauge).
 */
export function prometheusDeliveryText(observed: ObservedDeliverySeries, readings: readonly QueueReading[]): string {
  const lines: string[] = [];
  header(lines, 'outbox_attempts_total', 'counter', 'Delivery attempts settled, by outbox, topic and outcome.');
  for (const { labels, value } of observed.attempts.series()) lines.push(`outbox_attempts_total{${labels}} ${value}`);
  header(lines, 'outbox_given_up_total', 'counter', 'Entries moved to the undelivered store after their last attempt.');
  for (const { labels, value } of observed.givenUp.series()) lines.push(`outbox_given_up_total{${labels}} ${value}`);
  histogram(lines, 'outbox_attempt_duration_seconds', 'How long a delivery attempt took.', observed.attemptDurations);
  histogram(lines, 'outbox_delivery_latency_seconds', 'Time from enqueue to delivery.', observed.latencies);
  header(lines, 'outbox_up', 'gauge', 'Whether the outbox store answered the last statistics read (1) or not (0).');
  for (const reading of readings) {
    lines.push(`outbox_up{${labelText({ outbox: reading.outbox })}} ${reading.up ? 1 : 0}`);
  }
  gauge(
    lines,
    'outbox_pending',
    'Entries waiting for delivery: due, scheduled or claimed.',
    readings,
    (r) => r.stats.pending,
  );
  gauge(lines, 'outbox_due', 'Pending entries due now.', readings, (r) => r.stats.due);
  const counted = readings.filter((reading) => !reading.up || reading.stats.claimed !== undefined);
  gauge(lines, 'outbox_claimed', 'Pending entries a relay holds now.', counted, (r) => r.stats.claimed ?? 0);
  gauge(
    lines,
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest pending entry (0 when none is pending).',
    readings,
    (r) => r.oldestPendingAgeSeconds,
  );
  gauge(lines, 'outbox_undelivered', 'Entries that exhausted their attempts.', readings, (r) => r.stats.undelivered);
  return `${lines.join('\n')}\n`;
}
