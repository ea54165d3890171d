import type { AttemptRecord } from './outbox-store.js';

/** Histogram bounds of an attempt's duration, in ms by default: 5 ms to 30 s (a webhook's timeout). */
export const defaultAttemptDurationBucketsMs: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
];

/**
 * Histogram bounds of the delivery latency (enqueued → delivered), in ms by default: 10 ms to a
 * day, since retries of an event that failed first spread over hours.
 */
export const defaultDeliveryLatencyBucketsMs: readonly number[] = [
  10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000,
];

/** The topic label of the series past {@link DeliveryMetricsOptions.maxTopics}: every further topic shares it. */
export const otherTopicsLabel = '_other';

/** One observed attempt, labelled as every exporter writes it. */
export interface DeliveryMeasurement {
  /** The outbox's name, as given to `DeliveryMetrics.watch` or `observerFor`. */
  readonly outbox: string;
  /** The entry's topic (a webhook subscription id); `''` for none, {@link otherTopicsLabel} past the cap. */
  readonly topic: string;
  /** The attempt's outcome: `delivered`, `failed` or `interrupted`. */
  readonly outcome: AttemptRecord['outcome'];
  /** How long the attempt took, in ms; `undefined` for an interrupted one (nobody saw its end). */
  readonly durationMs: number | undefined;
  /** From enqueue to the end of the attempt that delivered, in ms; `undefined` unless delivered and recorded. */
  readonly latencyMs: number | undefined;
  /** Whether this attempt was the last: the entry moved to the undelivered store. */
  readonly givenUp: boolean;
}

/** What an outbox's statistics must hold for the gauges: `Outbox.stats()` and `OutboxStore.stats()` give it. */
export interface DeliveryQueueStats {
  /** Entries waiting for delivery: due, scheduled for a retry, or claimed. */
  readonly pending: number;
  /** Pending entries due now. */
  readonly due: number;
  /** Pending entries a relay holds now, where the store counts them. */
  readonly claimed?: number | undefined;
  /** When the oldest pending entry was enqueued; `undefined` when none is pending. */
  readonly oldestPendingEnqueuedAt: Date | undefined;
  /** Entries that exhausted their attempts and wait for an operator. */
  readonly undelivered: number;
}

/** Where the gauges are read at scrape time: an `Outbox` or an `OutboxStore`. */
export interface DeliveryStatsSource {
  stats(now: Date): Promise<DeliveryQueueStats>;
}

/** One outbox's gauges as read at one scrape: `up` false (and no stats) when its store failed. */
export type QueueReading =
  | {
      readonly outbox: string;
      readonly up: true;
      readonly stats: DeliveryQueueStats;
      readonly oldestPendingAgeSeconds: number;
    }
  | { readonly outbox: string; readonly up: false };
