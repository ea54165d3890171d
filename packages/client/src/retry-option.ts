import {
  noRetry,
  RetryScheduleRegistry,
  type RetrySchedule,
  type RetryScheduleDefinition,
} from '@events-protocol/core';
import type { SendResult } from './send-result.js';

/**
 * Retries of a call: off (`false`, the default: events may not be idempotent), a schedule object
 * (`exponentialSchedule({ … })`), or a stored definition (`{ schedule: 'exponential', options }`).
 */
export type RetryOption = false | RetrySchedule | RetryScheduleDefinition;

/** Turns a retry option into a schedule. @throws {RetryScheduleError} for an unknown name or bad options. */
export function resolveRetry(option: RetryOption | undefined): RetrySchedule {
  if (option === undefined || option === false) return noRetry;
  if ('delayAfter' in option) return option;
  return new RetryScheduleRegistry().create(option);
}

const retriedStatuses: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Whether another attempt may help: timeouts, unreachable servers and gateway statuses (502, 503,
 * 504). Never an answered event: the server has decided.
 */
export function isRetryable(result: SendResult): boolean {
  if (result.kind === 'timeout') return true;
  if (result.kind !== 'failedDependency') return false;
  return result.reason === 'unreachable' || (result.reason === 'status' && retriedStatuses.has(result.status ?? 0));
}

/**
 * How long to wait before the next attempt: the schedule's delay, or longer when the server's
 * `Retry-After` asked for more. `undefined` when the schedule has no attempt left.
 */
export function retryDelay(schedule: RetrySchedule, attempt: number, result: SendResult): number | undefined {
  const delay = schedule.delayAfter(attempt);
  if (delay === undefined) return undefined;
  const asked = result.kind === 'failedDependency' ? result.retryAfterMs : undefined;
  return asked === undefined ? delay : Math.max(delay, asked);
}
