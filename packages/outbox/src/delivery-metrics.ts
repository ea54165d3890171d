import {
  defaultAttemptDurationBucketsMs,
  defaultDeliveryLatencyBucketsMs,
  otherTopicsLabel,
  type DeliveryMeasurement,
  type DeliveryStatsSource,
  type QueueReading,
} from './delivery-measurement.js';
import { CounterSeriesSet, HistogramSeriesSet, labelText } from './delivery-series.js';
import { OutboxError } from './outbox-error.js';
import { silentOutboxLogger, type OutboxLogger } from './outbox-logger.js';
import { prometheusDeliveryText } from './prometheus-delivery-text.js';
import type { AttemptReport } from './relay-options.js';
import {
  registerDeliveryInstruments,
  type DeliveryMeter,
  type DeliveryMetricsRegistration,
} from './open-telemetry-delivery-metrics.js';

/** How a {@link DeliveryMetrics} measures. */
export interface DeliveryMetricsOptions {
  /** Bucket bounds of the attempt-duration histogram, in ms ({@link defaultAttemptDurationBucketsMs}). */
  attemptBucketsMs?: readonly number[];
  /** Bucket bounds of the delivery-latency histogram, in ms ({@link defaultDeliveryLatencyBucketsMs}). */
  latencyBucketsMs?: readonly number[];
  /**
   * Distinct topics labelled per outbox (100); attempts of further topics share the topic label
   * `_other`. A webhook delivery's topic is its subscription id, so this bounds the series a
   * dispatcher with many subscriptions creates; 0 labels no topic at all.
   */
  maxTopics?: number;
  /** A store read at scrape time that takes longer is reported down (`outbox_up 0`), in ms (5,000). */
  statsTimeoutMs?: number;
  /** The clock for the age of the oldest pending entry, ms since the epoch; `Date.now` by default. */
  clock?: () => number;
  /** A pino-compatible logger for stores that fail at scrape time (at `error`); silent by default. */
  logger?: OutboxLogger;
}

/** A function the relay calls after each attempt: its `onAttempt` (or the dispatcher's). */
export type DeliveryObserver = (report: AttemptReport) => void;

/**
 * Delivery metrics of one or more outboxes: what relays observe of every attempt (a counter by
 * outcome, the attempt's duration, the latency from enqueue to delivery, give-ups), and what the
 * stores hold, read at scrape time (queue depth, entries due, the age of the oldest pending entry,
 * undelivered depth). Exported as Prometheus text ({@link toPrometheusText}) and as OpenTelemetry
 * instruments ({@link registerIn}). A store that fails at scrape time is reported down, never thrown.
 *
 * @example
 * const metrics = new DeliveryMetrics();
 * const relay = outbox.relay({ sink, onAttempt: metrics.watch('orders', outbox) });
 * app.get('/metrics', async (_req, res) => res.type(prometheusContentType).send(await metrics.toPrometheusText()));
 */
export class DeliveryMetrics {
  readonly #attempts = new CounterSeriesSet();
  readonly #givenUp = new CounterSeriesSet();
  readonly #attemptDurations: HistogramSeriesSet;
  readonly #latencies: HistogramSeriesSet;
  readonly #sources = new Map<string, DeliveryStatsSource>();
  /** Per outbox, the labels of each labelled topic (at most `maxTopics`) and of the rest. */
  readonly #labels = new Map<string, { topics: Map<string, TopicLabels>; other: TopicLabels }>();
  readonly #listeners = new Set<(measurement: DeliveryMeasurement) => void>();
  readonly #maxTopics: number;
  readonly #statsTimeoutMs: number;
  readonly #clock: () => number;
  readonly #logger: OutboxLogger;

  /**
   * @throws {OutboxError} `INVALID_OPTIONS` for a negative `maxTopics`, a non-positive
   * `statsTimeoutMs`, or bucket bounds that are not distinct positive numbers.
   */
  constructor(options: DeliveryMetricsOptions = {}) {
    this.#attemptDurations = new HistogramSeriesSet(
      bucketBounds('attemptBucketsMs', options.attemptBucketsMs ?? defaultAttemptDurationBucketsMs),
    );
    this.#latencies = new HistogramSeriesSet(
      bucketBounds('latencyBucketsMs', options.latencyBucketsMs ?? defaultDeliveryLatencyBucketsMs),
    );
    this.#maxTopics = options.maxTopics ?? 100;
    this.#statsTimeoutMs = options.statsTimeoutMs ?? 5000;
    if (!Number.isSafeInteger(this.#maxTopics) || this.#maxTopics < 0) {
      throw new OutboxError('INVALID_OPTIONS', `maxTopics must be an integer ≥ 0, got ${String(options.maxTopics)}`);
    }
    if (!(this.#statsTimeoutMs > 0)) {
      throw new OutboxError(
        'INVALID_OPTIONS',
        `statsTimeoutMs must be positive, got ${String(options.statsTimeoutMs)}`,
      );
    }
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger ?? silentOutboxLogger();
  }

  /**
   * Reads `source`'s statistics at every scrape under the label `outbox="<name>"`, and returns the
   * observer of its relay's attempts under the same name.
   *
   * @throws {OutboxError} `INVALID_OPTIONS` when `name` is empty or already watched.
   */
  watch(name: string, source: DeliveryStatsSource): DeliveryObserver {
    if (name === '' || this.#sources.has(name)) {
      throw new OutboxError('INVALID_OPTIONS', `an outbox is watched once under a non-empty name, got "${name}"`);
    }
    this.#sources.set(name, source);
    return this.observerFor(name);
  }

  /** The observer of a relay's attempts labelled `outbox="<name>"`, without reading its store. */
  observerFor(name: string): DeliveryObserver {
    return (report) => {
      this.observe(report, name);
    };
  }

  /** Counts and times one settled attempt of the outbox `outbox`. */
  observe(report: AttemptReport, outbox: string): void {
    const { attempt, claimed } = report;
    const delivered = report.next === 'delivered' && report.recorded;
    const endMs = Date.parse(attempt.at) + attempt.durationMs;
    const labels = this.#labelsOf(outbox, claimed.topic ?? '');
    const measurement: DeliveryMeasurement = {
      outbox,
      topic: labels.topic,
      outcome: attempt.outcome,
      durationMs: attempt.outcome === 'interrupted' ? undefined : attempt.durationMs,
      latencyMs: delivered ? Math.max(0, endMs - claimed.enqueuedAt.getTime()) : undefined,
      givenUp: report.next === 'undelivered' && report.recorded,
    };
    const withOutcome = labels.withOutcome[measurement.outcome];
    this.#attempts.increment(withOutcome);
    if (measurement.durationMs !== undefined) this.#attemptDurations.record(withOutcome, measurement.durationMs);
    if (measurement.latencyMs !== undefined) this.#latencies.record(labels.text, measurement.latencyMs);
    if (measurement.givenUp) this.#givenUp.increment(labels.text);
    for (const listener of this.#listeners) listener(measurement);
  }

  /** Reads every watched outbox's statistics now; a store that fails or hangs reads as down (and is logged). */
  async readQueues(): Promise<QueueReading[]> {
    const now = this.#clock();
    return Promise.all(
      Array.from(this.#sources, async ([outbox, source]): Promise<QueueReading> => {
        try {
          const stats = await withTimeout(source.stats(new Date(now)), this.#statsTimeoutMs);
          const oldest = stats.oldestPendingEnqueuedAt;
          const oldestPendingAgeSeconds = oldest === undefined ? 0 : Math.max(0, (now - oldest.getTime()) / 1000);
          return { outbox, up: true, stats, oldestPendingAgeSeconds };
        } catch (error) {
          this.#logger.error({ err: error, outbox }, 'delivery metrics could not read the statistics of an outbox');
          return { outbox, up: false };
        }
      }),
    );
  }

  /** Every metric in the Prometheus text exposition format (version 0.0.4); reads the stores first. */
  async toPrometheusText(): Promise<string> {
    const readings = await this.readQueues();
    return prometheusDeliveryText(
      {
        attempts: this.#attempts,
        givenUp: this.#givenUp,
        attemptDurations: this.#attemptDurations,
        latencies: this.#latencies,
      },
      readings,
    );
  }

  /**
   * Records every observed attempt to OpenTelemetry instruments of `meter` (counters and
   * histograms), and reads the stores for its observable gauges at each collection. Pass a meter
   * of your `@opentelemetry/api` (`metrics.getMeter('@events-protocol/outbox')`): this package
   * does not load the API itself.
   */
  registerIn(meter: DeliveryMeter): DeliveryMetricsRegistration {
    return registerDeliveryInstruments(meter, {
      readQueues: () => this.readQueues(),
      listen: (listener) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
      attemptBucketsMs: this.#attemptDurations.boundsMs,
      latencyBucketsMs: this.#latencies.boundsMs,
    });
  }

  /** The labels of a topic's series, built once; topics past `maxTopics` share `_other`'s. */
  #labelsOf(outbox: string, topic: string): TopicLabels {
    let known = this.#labels.get(outbox);
    if (known === undefined) {
      known = { topics: new Map(), other: topicLabels(outbox, otherTopicsLabel) };
      this.#labels.set(outbox, known);
    }
    let labels = known.topics.get(topic);
    if (labels !== undefined) return labels;
    if (known.topics.size >= this.#maxTopics) return known.other;
    labels = topicLabels(outbox, topic);
    known.topics.set(topic, labels);
    return labels;
  }
}

/** The label texts of one (outbox, topic): alone, and with each outcome. */
interface TopicLabels {
  readonly topic: string;
  readonly text: string;
  readonly withOutcome: Readonly<Record<DeliveryMeasurement['outcome'], string>>;
}

function topicLabels(outbox: string, topic: string): TopicLabels {
  const text = labelText({ outbox, topic });
  return {
    topic,
    text,
    withOutcome: {
      delivered: `${text},outcome="delivered"`,
      failed: `${text},outcome="failed"`,
      interrupted: `${text},outcome="interrupted"`,
    },
  };
}

/** Histogram bounds, checked: at least one, each a finite number above 0, none twice. */
function bucketBounds(name: string, bounds: readonly number[]): readonly number[] {
  const valid =
    bounds.length > 0 &&
    bounds.every((bound) => Number.isFinite(bound) && bound > 0) &&
    new Set(bounds).size === bounds.length;
  if (!valid) {
    throw new OutboxError(
      'INVALID_OPTIONS',
      `${name} must be distinct finite numbers above 0, got [${bounds.join(', ')}]`,
    );
  }
  return bounds;
}

/** `promise`, or a rejection after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
