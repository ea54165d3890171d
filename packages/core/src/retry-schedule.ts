import { z } from 'zod';

/**
 * When to try again after a failed attempt. Shared by the client's retries, webhook delivery and
 * the outbox relay, so one schedule means the same thing everywhere.
 */
export interface RetrySchedule {
  /** The total number of attempts, the first included. */
  readonly maxAttempts: number;
  /**
   * The delay in milliseconds before the attempt after `failedAttempt` (1-based), or `undefined`
   * when that was the last attempt allowed.
   */
  delayAfter(failedAttempt: number): number | undefined;
}

/** A schedule as it is stored and configured: a registered name and its options. */
export interface RetryScheduleDefinition {
  schedule: string;
  options?: Record<string, unknown> | undefined;
}

/** Injected randomness for schedules with jitter: a function returning a number in [0, 1). */
export type RandomSource = () => number;

const maxAttempts = z.number().int().min(1).max(1000);
const millis = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000);

/** Options of the built-in `fixed` schedule: the same delay before every retry. */
export const fixedScheduleOptions = z.strictObject({ delayMs: millis, maxAttempts });
/** Options of the built-in `linear` schedule: the delay grows by `incrementMs` each retry, up to `maxDelayMs`. */
export const linearScheduleOptions = z.strictObject({
  initialDelayMs: millis,
  incrementMs: millis,
  maxDelayMs: millis.optional(),
  maxAttempts,
});
/**
 * Options of the built-in `exponential` schedule: `baseMs × factor^(n-1)` capped at `capMs`, with
 * `full` jitter (uniform in [0, delay]), `equal` jitter (half fixed, half random) or none.
 */
export const exponentialScheduleOptions = z.strictObject({
  baseMs: millis,
  capMs: millis,
  factor: z.number().min(1).max(10).default(2),
  jitter: z.enum(['none', 'full', 'equal']).default('full'),
  maxAttempts,
});
/** Options of the built-in `random` schedule: a uniform delay in [minMs, maxMs] before every retry. */
export const randomScheduleOptions = z
  .strictObject({ minMs: millis, maxMs: millis, maxAttempts })
  .refine((options) => options.minMs <= options.maxMs, { message: 'minMs must not exceed maxMs', path: ['minMs'] });

function lastAttempt(failedAttempt: number, limit: number): boolean {
  return !Number.isInteger(failedAttempt) || failedAttempt < 1 || failedAttempt >= limit;
}

/** The same delay before every retry. */
export function fixedSchedule(options: z.input<typeof fixedScheduleOptions>): RetrySchedule {
  const { delayMs, maxAttempts: limit } = fixedScheduleOptions.parse(options);
  return { maxAttempts: limit, delayAfter: (failed) => (lastAttempt(failed, limit) ? undefined : delayMs) };
}

/** A delay that grows by a fixed increment before each retry. */
export function linearSchedule(options: z.input<typeof linearScheduleOptions>): RetrySchedule {
  const parsed = linearScheduleOptions.parse(options);
  const cap = parsed.maxDelayMs ?? Number.POSITIVE_INFINITY;
  return {
    maxAttempts: parsed.maxAttempts,
    delayAfter: (failed) =>
      lastAttempt(failed, parsed.maxAttempts)
        ? undefined
        : Math.min(cap, parsed.initialDelayMs + parsed.incrementMs * (failed - 1)),
  };
}

/** A delay that multiplies before each retry, capped, with jitter so retrying callers spread out. */
export function exponentialSchedule(
  options: z.input<typeof exponentialScheduleOptions>,
  random: RandomSource = Math.random,
): RetrySchedule {
  const parsed = exponentialScheduleOptions.parse(options);
  return {
    maxAttempts: parsed.maxAttempts,
    delayAfter(failed) {
      if (lastAttempt(failed, parsed.maxAttempts)) return undefined;
      const delay = Math.min(parsed.capMs, parsed.baseMs * parsed.factor ** (failed - 1));
      switch (parsed.jitter) {
        case 'none':
          return delay;
        case 'full':
          return Math.floor(random() * (delay + 1));
        case 'equal':
          return Math.floor(delay / 2 + random() * (delay / 2 + 1));
      }
    },
  };
}

/** A uniformly random delay in a range before every retry. */
export function randomSchedule(
  options: z.input<typeof randomScheduleOptions>,
  random: RandomSource = Math.random,
): RetrySchedule {
  const { minMs, maxMs, maxAttempts: limit } = randomScheduleOptions.parse(options);
  return {
    maxAttempts: limit,
    delayAfter: (failed) =>
      lastAttempt(failed, limit) ? undefined : minMs + Math.floor(random() * (maxMs - minMs + 1)),
  };
}

/** A schedule that never retries: one attempt. */
export const noRetry: RetrySchedule = Object.freeze({ maxAttempts: 1, delayAfter: () => undefined });
