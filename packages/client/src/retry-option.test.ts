import { EventBuilder, fixedSchedule, isRetryScheduleError, noRetry } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { isRetryable, resolveRetry, retryDelay } from './retry-option.js';
import type { SendResult } from './send-result.js';

const request = EventBuilder.request({ name: 'pay', payload: null });
const sent = { request, attempts: 1 };

function status(code: number, retryAfterMs?: number): SendResult {
  const result = { kind: 'failedDependency', reason: 'status', status: code, ...sent } as const;
  return retryAfterMs === undefined ? result : { ...result, retryAfterMs };
}

describe('resolveRetry', () => {
  it('is no retry when off, the schedule itself when given one, and a stored definition built', () => {
    expect(resolveRetry(undefined)).toBe(noRetry);
    expect(resolveRetry(false)).toBe(noRetry);
    const schedule = fixedSchedule({ delayMs: 10, maxAttempts: 3 });
    expect(resolveRetry(schedule)).toBe(schedule);
    const stored = resolveRetry({ schedule: 'fixed', options: { delayMs: 25, maxAttempts: 2 } });
    expect([stored.delayAfter(1), stored.delayAfter(2)]).toEqual([25, undefined]);
  });

  it('throws a RetryScheduleError for an unknown schedule or bad options', () => {
    for (const option of [
      { schedule: 'nope', options: {} },
      { schedule: 'fixed', options: { delayMs: -1, maxAttempts: 2 } },
    ]) {
      let caught: unknown;
      try {
        resolveRetry(option);
      } catch (error) {
        caught = error;
      }
      expect(isRetryScheduleError(caught)).toBe(true);
    }
  });
});

describe('isRetryable', () => {
  it('retries timeouts, unreachable servers and gateway statuses, never an answer', () => {
    expect(isRetryable({ kind: 'timeout', timeoutMs: 10, ...sent })).toBe(true);
    expect(isRetryable({ kind: 'failedDependency', reason: 'unreachable', ...sent })).toBe(true);
    expect([502, 503, 504].map((code) => isRetryable(status(code)))).toEqual([true, true, true]);
    expect([400, 429, 500].map((code) => isRetryable(status(code)))).toEqual([false, false, false]);
    expect(isRetryable({ kind: 'failedDependency', reason: 'invalidResponse', ...sent })).toBe(false);
    const answer = EventBuilder.errorFor(request, 'error', { code: 'UNHANDLED_ERROR' });
    expect(isRetryable({ kind: 'error', errorType: 'error', event: answer, ...sent })).toBe(false);
  });
});

describe('retryDelay', () => {
  const schedule = fixedSchedule({ delayMs: 100, maxAttempts: 3 });

  it("waits the schedule's delay, or the server's Retry-After when it asks for longer", () => {
    expect(retryDelay(schedule, 1, status(503))).toBe(100);
    expect(retryDelay(schedule, 1, status(503, 40))).toBe(100);
    expect(retryDelay(schedule, 2, status(503, 1500))).toBe(1500);
    expect(retryDelay(schedule, 1, { kind: 'timeout', timeoutMs: 10, ...sent })).toBe(100);
  });

  it('stops when the schedule has no attempt left, whatever Retry-After says', () => {
    expect(retryDelay(schedule, 3, status(503, 10))).toBeUndefined();
  });
});
