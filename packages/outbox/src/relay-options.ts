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
import type { OutboxStore } from './outbox-store.js';

/** How an {@link OutboxRelay} delivers. */
export interface OutboxRelayOptions {
  /** Where events wait. */
  store: OutboxStore;
  /** Where they go. */
  sink: Sink;
  /**
   * When to retry: a schedule, or a definition the `schedules` registry creates (the same
   * schedules as webhooks). By default exponential from 1 s to 5 min with full jitter, 10 attempts.
   */
  schedule?: RetrySchedule | RetryScheduleDefinition;
  /** The registry that creates a `schedule` definition; one with the built-ins by default. */
  schedules?: RetryScheduleRegistry;
  /** Events claimed at a time (50). */
  batchSize?: number;
  /** Events of a batch published at once (10). */
  concurrency?: number;
  /** How long a claim holds before another relay may take the event over, in ms (30,000). */
  leaseMs?: number;
  /** Each publish is aborted after this many ms (10,000); keep it below `leaseMs`. */
  publishTimeoutMs?: number;
  /** The pause when nothing is due, in ms (500). */
  pollIntervalMs?: number;
  /** This relay's name: a Redis consumer name, and in logs. `<host>-<pid>-<random>` by default. */
  owner?: string;
  /** The clock, ms since the epoch; `Date.now` by default. */
  clock?: () => number;
  /** A pino-compatible logger; silent by default. */
  logger?: OutboxLogger;
}

/** What one {@link OutboxRelay.runOnce} did. */
export interface RelayBatchResult {
  claimed: number;
  delivered: number;
  /** Failed and scheduled for another attempt. */
  retried: number;
  /** Failed for the last time and moved to the undelivered store. */
  undelivered: number;
  /** Outcomes that could not be recorded (claim lost, store error); the lease brings them back. */
  unrecorded: number;
}

/** Relay options with every default filled in and checked. */
export interface RelaySettings {
  schedule: RetrySchedule;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  publishTimeoutMs: number;
  pollIntervalMs: number;
  owner: string;
  clock: () => number;
  logger: OutboxLogger;
}

/**
 * Fills in the defaults of relay options and checks them.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for a bad number or retry schedule.
 */
export function resolveRelayOptions(options: OutboxRelayOptions): RelaySettings {
  return {
    schedule: createSchedule(options.schedule, options.schedules),
    batchSize: positiveInteger('batchSize', options.batchSize, 50),
    concurrency: positiveInteger('concurrency', options.concurrency, 10),
    leaseMs: positiveInteger('leaseMs', options.leaseMs, 30_000),
    publishTimeoutMs: positiveInteger('publishTimeoutMs', options.publishTimeoutMs, 10_000),
    pollIntervalMs: positiveInteger('pollIntervalMs', options.pollIntervalMs, 500),
    owner: options.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    clock: options.clock ?? Date.now,
    logger: options.logger ?? silentOutboxLogger(),
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
