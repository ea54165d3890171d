import { defineErrorFamily, errorGuard, type ErrorCodeOf } from './error-family.js';
import type { ErrorIssue } from './error-issue.js';

/** The stable codes of {@link RetryScheduleError}. */
export const RetryScheduleErrorCode = {
  /** The schedule name is not registered. */
  UnknownSchedule: 'UNKNOWN_SCHEDULE',
  /** The options do not match the schedule's schema; `issues` says where. */
  InvalidScheduleOptions: 'INVALID_SCHEDULE_OPTIONS',
} as const;

/** A code of {@link RetryScheduleError}. */
export type RetryScheduleErrorCode = ErrorCodeOf<typeof RetryScheduleErrorCode>;

/** Why a schedule definition was refused: an unknown name, or options its schema rejects (`issues`, paths into the options). */
export class RetryScheduleError extends defineErrorFamily('RetryScheduleError', RetryScheduleErrorCode).Base {
  constructor(
    code: RetryScheduleErrorCode,
    message: string,
    issues: readonly ErrorIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, { cause: options?.cause, issues });
  }
}

/** Whether `value` is a {@link RetryScheduleError}, across copies of this package. */
export const isRetryScheduleError = errorGuard(RetryScheduleError);
