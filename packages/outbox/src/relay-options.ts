import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  exponentialSchedule,
  RetryScheduleRegistry,
  type RetrySchedule,
  type RetryScheduleDefinition,
} from '@events-protocol/core';
import type { Sink } from '@events-protocol/publish';
import { OutboxError } from './outbox-error.js';
import { silentOutboxLogger, type OutboxLogger } from './outbox-logger.js';
import type { AttemptRecord, ClaimedEvent, OutboxStore } from './outbox-store.js';

/**
 * Finds the retry schedule of one claimed entry: per-entry schedules (a webhook subscription's).
 * May be async; when it throws, the entry is not published now and is tried again later.
 */
export type ScheduleResolver = (claimed: ClaimedEvent) => RetrySchedule | Promise<RetrySchedule>;

/** A relay's `schedule`: one schedule, a definition the registry creates, or one per entry. */
export type RelaySchedule = RetrySchedule | RetryScheduleDefinition | ScheduleResolver;

/** What {@link OutboxRelayOptions.onAttempt} hears after each settlement. */
export interface AttemptReport {
  /** The entry as it was claimed. */
  claimed: ClaimedEvent;
  /** The attempt as recorded (or as it would have been, when `recorded` is false). */
  attempt: AttemptRecord;
  /** What follows: delivered, another attempt at `nextAttemptAt`, or undelivered. */
  next: 'delivered' | 'retry' | 'undelivered';
  /** When the next attempt is due, for `retry`. */
  nextAttemptAt?: Date;
  /** Whether the store took the settlement; `false` when the claim was lost or the store failed. */
  recorded: boolean;
}

/** How an {@link OutboxRelay} delivers. */
export interface OutboxRelayOptions {
  /** Where events wait. */
  store: OutboxStore;
  /** Where they go. */
  sink: Sink;
  /**
   * When to retry: a schedule, a definition the `schedules` registry creates (the same schedules
   * as webhooks), or a function giving each claimed entry its own. By default exponential from
   * 1 s to 5 min with full jitter, 10 attempts.
   */
  schedule?: RelaySchedule;
  /** The registry that creates a `schedule` definition; one with the built-ins by default. */
  schedules?: RetryScheduleRegistry;
  /** Events claimed at a time (50). */
  batchSize?: number;
  /** Events of a batch published at once (10), when the sink has no `publishBatch`. */
  concurrency?: number;
  /** How long a claim holds before another relay may take the event over, in ms (30,000). */
  leaseMs?: number;
  /** Each publish is aborted after this many ms (10,000); keep it below `leaseMs`. */
  publishTimeoutMs?: number;
  /**
   * The longest sleep when nothing is due, in ms (500): the relay wakes earlier when the store
   * hears of an enqueue (`waitForEntries`).
   */
  pollIntervalMs?: number;
  /** This relay's name: a Redis consumer name, and in logs. `<host>-<pid>-<random>` by default. */
  owner?: string;
  /** The clock, ms since the epoch; `Date.now` by default. */
  clock?: () => number;
  /** A pino-compatible logger; silent by default. */
  logger?: OutboxLogger;
  /**
   * Called after each batch is settled, once per entry, in claim order (awaited). What it throws
   * or rejects with is logged and never stops the relay.
   */
  onAttempt?: (report: AttemptReport) => void | Promise<void>;
  /**
   * Also told of each settled attempt, after `onAttempt`, without being awaited: metrics (a
   * `DeliveryMetrics` observer) beside the application's own hook. What one throws is logged.
   */
  observers?: readonly ((report: AttemptReport) => void)[];
}

/** What one {@link OutboxRelay.runOnce} did. */
export interface RelayBatchResult {
  claimed: number;
  delivered: number;
  /** Failed and scheduled for another attempt. */
  retried: number;
  /** Failed for the last time (or for good) and moved to the undelivered store. */
  undelivered: number;
  /** Outcomes that could not be recorded (claim lost, store error); the lease brings them back. */
  unrecorded: number;
}

/** Relay options with every default filled in and checked. */
export interface RelaySettings {
  /** The schedule of every entry, or `undefined` when each entry has its own. */
  schedule: RetrySchedule | undefined;
  /** The schedule of one entry. */
  scheduleOf: ScheduleResolver;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  publishTimeoutMs: number;
  pollIntervalMs: number;
  owner: string;
  clock: () => number;
  logger: OutboxLogger;
  onAttempt: ((report: AttemptReport) => void | Promise<void>) | undefined;
  observers: readonly ((report: AttemptReport) => void)[];
}

/**
 * Fills in the defaults of relay options and checks them.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for a bad number or retry schedule.
 */
export function resolveRelayOptions(options: OutboxRelayOptions): RelaySettings {
  const schedule =
    typeof options.schedule === 'function' ? undefined : createSchedule(options.schedule, options.schedules);
  const scheduleOf: ScheduleResolver =
    typeof options.schedule === 'function' ? options.schedule : () => schedule as RetrySchedule;
  if (options.onAttempt !== undefined && typeof options.onAttempt !== 'function') {
    throw new OutboxError('INVALID_OPTIONS', 'onAttempt must be a function');
  }
  const observers = [...(options.observers ?? [])];
  if (observers.some((observer) => typeof observer !== 'function')) {
    throw new OutboxError('INVALID_OPTIONS', 'every observer must be a function');
  }
  return {
    schedule,
    scheduleOf,
    batchSize: positiveInteger('batchSize', options.batchSize, 50),
    concurrency: positiveInteger('concurrency', options.concurrency, 10),
    leaseMs: positiveInteger('leaseMs', options.leaseMs, 30_000),
    publishTimeoutMs: positiveInteger('publishTimeoutMs', options.publishTimeoutMs, 10_000),
    pollIntervalMs: positiveInteger('pollIntervalMs', options.pollIntervalMs, 500),
    owner: options.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    clock: options.clock ?? Date.now,
    logger: options.logger ?? silentOutboxLogger(),
    onAttempt: options.onAttempt,
    observers,
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 1) {
    throw new OutboxError('INVALID_OPTIONS', `${name} must be a positive integer, got ${String(value)}`);
  }
  return result;
}

function createSchedule(
  schedule: RetrySchedule | RetryScheduleDefinition | undefined,
  schedules: RetryScheduleRegistry | undefined,
): RetrySchedule {
  if (schedule === undefined) return exponentialSchedule({ baseMs: 1000, capMs: 300_000, maxAttempts: 10 });
  if ('delayAfter' in schedule) return schedule;
  try {
    return (schedules ?? new RetryScheduleRegistry()).create(schedule);
  } catch (error) {
    throw new OutboxError('INVALID_OPTIONS', `invalid retry schedule: ${String(error)}`, { cause: error });
  }
}
