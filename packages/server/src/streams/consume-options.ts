import {
  exponentialSchedule,
  RetryScheduleRegistry,
  type RetrySchedule,
  type RetryScheduleDefinition,
} from '@events-protocol/core';
import { silentLogger, type EventLogger } from '../event-logger.js';
import { MemoryReplayStore } from '../memory-replay-store.js';
import type { EventProcessorOptions } from '../processor-options.js';
import type { ReplayStore } from '../replay-store.js';
import { ServerError, ServerErrorCode } from '../server-error.js';

/** How `consume` runs handlers from a stream. */
export interface ConsumeOptions {
  /** How many messages are in their handlers at once; 16 by default. */
  concurrency?: number;
  /** The most messages asked of the source in one pull; the free concurrency, at most 100, by default. */
  batchSize?: number;
  /**
   * When a message whose handler answered `<name>:error` runs again, and how often: a schedule or
   * a definition (`{ schedule: 'fixed', options: { delayMs: 500, maxAttempts: 5 } }`), as the
   * outbox relay takes them. By default the relay's: exponential from 1 s to 5 min, 10 attempts.
   */
  retry?: RetrySchedule | RetryScheduleDefinition;
  /**
   * Deduplication by event id: a message whose event (name, version, id) was already handled is
   * acknowledged without running the handler again. A bounded in-memory store by default; a
   * `RedisReplayStore` to deduplicate across consumer processes; `false` to turn it off. A claim
   * holds for `leaseMs` (the source's lease by default, else 30 s): keep it no longer than the
   * source's lease, so a message redelivered after a crash finds its claim lapsed and runs.
   */
  dedup?: false | { store?: ReplayStore; retentionMs?: number; leaseMs?: number };
  /** The processor's options, when `consume` is given a registry (its `replay` is not used: see `dedup`). */
  processor?: Omit<EventProcessorOptions, 'replay'>;
  /** A pino-compatible logger; the processor's, or silent, by default. */
  logger?: EventLogger;
  /** How long to wait before pulling again after the source failed, in ms; 1,000 by default. */
  errorDelayMs?: number;
  /** When another consumer is running the same event id, try this message again after so many ms; 1,000 by default. */
  busyDelayMs?: number;
}

/** {@link ConsumeOptions} with every default filled in and checked. */
export interface ResolvedConsumeOptions {
  readonly concurrency: number;
  readonly batchSize: number;
  readonly schedule: RetrySchedule;
  readonly dedup: { readonly store: ReplayStore; readonly retentionMs: number; readonly leaseMs: number } | undefined;
  readonly logger: EventLogger;
  readonly errorDelayMs: number;
  readonly busyDelayMs: number;
}

/** The retry schedule of the outbox relay, used when none is given. */
export const defaultStreamRetrySchedule: RetrySchedule = exponentialSchedule({
  baseMs: 1000,
  capMs: 300_000,
  maxAttempts: 10,
});

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 1) {
    throw new ServerError(ServerErrorCode.InvalidOptions, `${name} must be a positive integer, got ${String(value)}`);
  }
  return result;
}

function scheduleOf(retry: ConsumeOptions['retry']): RetrySchedule {
  if (retry === undefined) return defaultStreamRetrySchedule;
  if ('delayAfter' in retry) return retry;
  try {
    return new RetryScheduleRegistry().create(retry);
  } catch (error) {
    throw new ServerError(ServerErrorCode.InvalidOptions, `invalid retry schedule: ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Fills in the defaults of {@link ConsumeOptions}.
 *
 * @throws {ServerError} `INVALID_OPTIONS` for a limit that is not a positive integer or a retry
 * schedule that cannot be made.
 */
export function resolveConsumeOptions(
  options: ConsumeOptions,
  defaults: { logger?: EventLogger | undefined; leaseMs?: number | undefined } = {},
): ResolvedConsumeOptions {
  const concurrency = positiveInteger('concurrency', options.concurrency, 16);
  const dedup = options.dedup;
  return {
    concurrency,
    batchSize: positiveInteger('batchSize', options.batchSize, Math.min(concurrency, 100)),
    schedule: scheduleOf(options.retry),
    dedup:
      dedup === false
        ? undefined
        : {
            store: dedup?.store ?? new MemoryReplayStore(),
            retentionMs: positiveInteger('dedup.retentionMs', dedup?.retentionMs, 24 * 60 * 60 * 1000),
            leaseMs: positiveInteger('dedup.leaseMs', dedup?.leaseMs, defaults.leaseMs ?? 30_000),
          },
    logger: options.logger ?? defaults.logger ?? silentLogger,
    errorDelayMs: positiveInteger('errorDelayMs', options.errorDelayMs, 1000),
    busyDelayMs: positiveInteger('busyDelayMs', options.busyDelayMs, 1000),
  };
}
