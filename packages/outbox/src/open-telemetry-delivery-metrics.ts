import type { DeliveryMeasurement, QueueReading } from './delivery-measurement.js';
import { registerGaugeBatch } from './observable-gauges.js';

/** The names of the OpenTelemetry instruments `DeliveryMetrics.registerIn` creates. */
export const OpenTelemetryDeliveryMetricNames = {
  /** Counter: attempts settled, by `outbox.name`, `outbox.topic` and `outbox.attempt.outcome`. */
  attempts: 'outbox.delivery.attempts',
  /** Counter: entries moved to the undelivered store after their last attempt. */
  givenUp: 'outbox.delivery.given_up',
  /** Histogram, ms: how long an attempt took (interrupted attempts are not timed). */
  attemptDuration: 'outbox.delivery.attempt.duration',
  /** Histogram, ms: from enqueue to the end of the attempt that delivered. */
  latency: 'outbox.delivery.latency',
  /** Gauge: entries waiting for delivery (due, scheduled or claimed). */
  pending: 'outbox.queue.pending',
  /** Gauge: pending entries due now. */
  due: 'outbox.queue.due',
  /** Gauge: pending entries a relay holds now (where the store counts them). */
  claimed: 'outbox.queue.claimed',
  /** Gauge, s: age of the oldest pending entry (0 when none). */
  oldestPendingAge: 'outbox.queue.oldest_pending_age',
  /** Gauge: undelivered entries. */
  undelivered: 'outbox.queue.undelivered',
  /** Gauge: 1 when the store answered the statistics read, 0 when it failed. */
  up: 'outbox.up',
} as const;

/** Attributes as OpenTelemetry takes them. */
export type DeliveryAttributes = Record<string, string>;

/** Options of an instrument, as OpenTelemetry's `MetricOptions` has them. */
export interface DeliveryInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** An observable instrument, as the meter made it; only handed back to the meter. */
export type DeliveryObservable = object;

/** What a batch observable callback reports into. */
export interface DeliveryBatchResult {
  observe(observable: DeliveryObservable, value: number, attributes?: DeliveryAttributes): void;
}

/** A batch observable callback. */
export type DeliveryBatchCallback = (result: DeliveryBatchResult) => void | Promise<void>;

/**
 * The part of an OpenTelemetry `Meter` (from `@opentelemetry/api`) that delivery metrics use,
 * written out so this package neither needs the API installed nor names it in its types.
 */
export interface DeliveryMeter {
  createCounter(
    name: string,
    options?: DeliveryInstrumentOptions,
  ): { add(value: number, attributes?: DeliveryAttributes): void };
  createHistogram(
    name: string,
    options?: DeliveryInstrumentOptions,
  ): { record(value: number, attributes?: DeliveryAttributes): void };
  createObservableGauge(name: string, options?: DeliveryInstrumentOptions): DeliveryObservable;
  addBatchObservableCallback(callback: DeliveryBatchCallback, observables: DeliveryObservable[]): void;
  removeBatchObservableCallback(callback: DeliveryBatchCallback, observables: DeliveryObservable[]): void;
}

/** A registration of delivery metrics in a meter. */
export interface DeliveryMetricsRegistration {
  /** Stops recording to the meter's instruments and reading the stores for it. */
  unregister(): void;
}

/** What the instruments read from a `DeliveryMetrics`. */
export interface DeliveryInstrumentSource {
  readQueues(): Promise<QueueReading[]>;
  /** Hears every observed attempt from now on; returns the function that stops it. */
  listen(listener: (measurement: DeliveryMeasurement) => void): () => void;
  readonly attemptBucketsMs: readonly number[];
  readonly latencyBucketsMs: readonly number[];
}

const names = OpenTelemetryDeliveryMetricNames;

/** Creates the delivery instruments in `meter`, fed by `source`. */
export function registerDeliveryInstruments(
  meter: DeliveryMeter,
  source: DeliveryInstrumentSource,
): DeliveryMetricsRegistration {
  const attempts = meter.createCounter(names.attempts, {
    description: 'Delivery attempts settled.',
    unit: '{attempt}',
  });
  const givenUp = meter.createCounter(names.givenUp, {
    description: 'Entries moved to the undelivered store after their last attempt.',
    unit: '{entry}',
  });
  const attemptDuration = meter.createHistogram(names.attemptDuration, {
    description: 'How long a delivery attempt took.',
    unit: 'ms',
    advice: { explicitBucketBoundaries: [...source.attemptBucketsMs] },
  });
  const latency = meter.createHistogram(names.latency, {
    description: 'Time from enqueue to delivery.',
    unit: 'ms',
    advice: { explicitBucketBoundaries: [...source.latencyBucketsMs] },
  });
  const stopListening = source.listen((measurement) => {
    const where = { 'outbox.name': measurement.outbox, 'outbox.topic': measurement.topic };
    const attributes = { ...where, 'outbox.attempt.outcome': measurement.outcome };
    attempts.add(1, attributes);
    if (measurement.durationMs !== undefined) attemptDuration.record(measurement.durationMs, attributes);
    if (measurement.latencyMs !== undefined) latency.record(measurement.latencyMs, where);
    if (measurement.givenUp) givenUp.add(1, where);
  });
  const gauges = registerGaugeBatch(
    meter,
    {
      pending: { name: names.pending, description: 'Entries waiting for delivery.', unit: '{entry}' },
      due: { name: names.due, description: 'Pending entries due now.', unit: '{entry}' },
      claimed: { name: names.claimed, description: 'Pending entries a relay holds now.', unit: '{entry}' },
      oldest: { name: names.oldestPendingAge, description: 'Age of the oldest pending entry.', unit: 's' },
      undelivered: {
        name: names.undelivered,
        description: 'Entries that exhausted their attempts.',
        unit: '{entry}',
      },
      up: { name: names.up, description: 'Whether the outbox store answered the statistics read.', unit: '1' },
    },
    async (result, gauge) => {
      for (const reading of await source.readQueues()) {
        const attributes = { 'outbox.name': reading.outbox };
        result.observe(gauge.up, reading.up ? 1 : 0, attributes);
        if (!reading.up) continue;
        result.observe(gauge.pending, reading.stats.pending, attributes);
        result.observe(gauge.due, reading.stats.due, attributes);
        if (reading.stats.claimed !== undefined) result.observe(gauge.claimed, reading.stats.claimed, attributes);
        result.observe(gauge.oldest, reading.oldestPendingAgeSeconds, attributes);
        result.observe(gauge.undelivered, reading.stats.undelivered, attributes);
      }
    },
  );
  return {
    unregister() {
      stopListening();
      gauges.unregister();
    },
  };
}
