import { exponentialSchedule, fixedSchedule } from '@events-protocol/core';
import { PublishError } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import type { ClaimedEvent } from './outbox-store.js';
import {
  attemptRecordOf,
  budgetSpent,
  budgetSpentAttempt,
  budgetedAttempt,
  isDeferral,
  maxResponseExcerpt,
  maxRetryAfterMs,
  retryAfterOf,
  settlementOf,
} from './relay-settlement.js';

const at = new Date('2026-01-01T00:00:00Z');
const now = at.getTime() + 50;

function claimedAt(attempt: number): ClaimedEvent {
  return {
    id: 'entry-1',
    receipt: 'r',
    event: {
      name: 'order:created',
      version: 1,
      id: 'event-1',
      flowId: 'f',
      payload: {},
      identity: {},
      auth: {},
      metadata: {},
      createdAt: at.toISOString(),
    },
    topic: undefined,
    attributes: {},
    attempt,
    history: [],
    enqueuedAt: at,
  };
}

const rejected = (options: { status?: number; retryAfterMs?: number; responseExcerpt?: string } = {}) =>
  new PublishError('REJECTED', 'the target answered 503', { sink: 'http', ...options });

describe('attemptRecordOf', () => {
  it('records a delivery with what the sink reported, and the measured duration', () => {
    const record = attemptRecordOf(claimedAt(2), {
      ok: true,
      at,
      durationMs: 12.6,
      report: { status: 204, responseExcerpt: 'x'.repeat(maxResponseExcerpt + 10) },
    });
    expect(record).toEqual({
      attempt: 2,
      at: at.toISOString(),
      durationMs: 13,
      outcome: 'delivered',
      status: 204,
      responseExcerpt: 'x'.repeat(maxResponseExcerpt),
    });
    expect(attemptRecordOf(claimedAt(1), { ok: true, at, durationMs: 1, report: undefined })).toEqual({
      attempt: 1,
      at: at.toISOString(),
      durationMs: 1,
      outcome: 'delivered',
    });
  });

  it('records a failure with the status and answer the PublishError carries', () => {
    const error = rejected({ status: 503, responseExcerpt: 'busy' });
    expect(attemptRecordOf(claimedAt(3), { ok: false, at, durationMs: 40, error })).toEqual({
      attempt: 3,
      at: at.toISOString(),
      durationMs: 40,
      outcome: 'failed',
      status: 503,
      responseExcerpt: 'busy',
      error: { name: 'PublishError', code: 'REJECTED', message: 'the target answered 503' },
    });
  });
});

describe('settlementOf', () => {
  const schedule = fixedSchedule({ delayMs: 1000, maxAttempts: 3 });
  const failed = (attempt: number, error: unknown) =>
    settlementOf(
      claimedAt(attempt),
      attemptRecordOf(claimedAt(attempt), { ok: false, at, durationMs: 1, error }),
      error,
      schedule,
      now,
    );

  it('settles a delivered attempt as delivered', () => {
    const attempt = attemptRecordOf(claimedAt(1), { ok: true, at, durationMs: 1, report: undefined });
    expect(settlementOf(claimedAt(1), attempt, undefined, schedule, now)).toMatchObject({ next: 'delivered', attempt });
  });

  it('retries after the schedule’s delay while attempts are left, then gives up', () => {
    expect(failed(1, new Error('reset'))).toMatchObject({ next: 'retry', nextAttemptAt: new Date(now + 1000) });
    expect(failed(2, new Error('reset'))).toMatchObject({ next: 'retry', nextAttemptAt: new Date(now + 1000) });
    expect(failed(3, new Error('reset'))).toMatchObject({ next: 'undelivered' });
    expect(failed(3, new Error('reset'))).not.toHaveProperty('nextAttemptAt');
  });

  it('waits at least as long as the target’s Retry-After, and no less than the schedule', () => {
    expect(failed(1, rejected({ status: 429, retryAfterMs: 60_000 }))).toMatchObject({
      next: 'retry',
      nextAttemptAt: new Date(now + 60_000),
    });
    expect(failed(1, rejected({ status: 503, retryAfterMs: 10 }))).toMatchObject({
      nextAttemptAt: new Date(now + 1000),
    });
    // Retry-After does not extend the budget: the last attempt stays the last.
    expect(failed(3, rejected({ status: 503, retryAfterMs: 60_000 }))).toMatchObject({ next: 'undelivered' });
  });

  it('caps a Retry-After at a day, and ignores one that is not a positive number', () => {
    expect(retryAfterOf(rejected({ retryAfterMs: 10 * maxRetryAfterMs }))).toBe(maxRetryAfterMs);
    expect(retryAfterOf(rejected({ retryAfterMs: Number.NaN }))).toBe(0);
    expect(retryAfterOf(rejected({ retryAfterMs: -5 }))).toBe(0);
    expect(retryAfterOf(Object.assign(new Error('look-alike'), { retryAfterMs: 5000 }))).toBe(0);
  });

  it('gives up at once on a failure no retry can mend', () => {
    const gone = new PublishError('UNDELIVERABLE', 'the subscription was deleted', { sink: 'webhook' });
    expect(failed(1, gone)).toMatchObject({ next: 'undelivered' });
    expect(failed(1, new PublishError('INVALID_EVENT', 'no name'))).toMatchObject({ next: 'undelivered' });
    expect(failed(1, new PublishError('TIMEOUT', 'slow'))).toMatchObject({ next: 'retry' });
  });
});

describe('budgetSpent', () => {
  it('is true only for a claim beyond the schedule’s last attempt', () => {
    const schedule = exponentialSchedule({ baseMs: 10, capMs: 100, maxAttempts: 2 });
    expect([1, 2, 3, 4].map((attempt) => budgetSpent(claimedAt(attempt), schedule))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(budgetSpentAttempt(claimedAt(3), schedule, at)).toMatchObject({
      attempt: 3,
      outcome: 'failed',
      durationMs: 0,
      error: { code: 'ATTEMPTS_EXHAUSTED', message: expect.stringContaining('attempt 2 was the last') as string },
    });
  });
});

describe('deferrals', () => {
  const deferred = new PublishError('DEFERRED', 'not attempted: at its rate limit', {
    sink: 'webhooks',
    retryAfterMs: 750,
  });
  const deferralRecord = (attempt: number) => ({
    attempt,
    at: at.toISOString(),
    durationMs: 0,
    outcome: 'failed' as const,
    error: { message: 'not attempted', name: 'PublishError', code: 'DEFERRED' },
  });
  const failedRecord = (attempt: number) => ({
    ...deferralRecord(attempt),
    error: { message: '503', code: 'REJECTED' },
  });
  const withHistory = (attempt: number, history: ClaimedEvent['history']): ClaimedEvent => ({
    ...claimedAt(attempt),
    history,
  });

  it('are due again after the sink’s wait, whatever the schedule, even past its last attempt', () => {
    const schedule = fixedSchedule({ delayMs: 60_000, maxAttempts: 1 });
    const claimed = claimedAt(1);
    expect(isDeferral(deferred)).toBe(true);
    expect(isDeferral(rejected())).toBe(false);
    expect(
      settlementOf(
        claimed,
        attemptRecordOf(claimed, { ok: false, at, durationMs: 0, error: deferred }),
        deferred,
        schedule,
        now,
      ),
    ).toMatchObject({
      next: 'retry',
      nextAttemptAt: new Date(now + 750),
    });
  });

  it('spend no attempt: the budget and the delays count attempts less the deferrals before them', () => {
    const schedule = exponentialSchedule({ baseMs: 1000, capMs: 1_000_000, maxAttempts: 2, jitter: 'none' });
    const afterTwoDeferrals = withHistory(4, [deferralRecord(1), failedRecord(2), deferralRecord(3)]);
    expect(budgetedAttempt(afterTwoDeferrals)).toBe(2);
    expect(budgetSpent(afterTwoDeferrals, schedule)).toBe(false);
    expect(budgetSpent(withHistory(4, [failedRecord(1), failedRecord(2), deferralRecord(3)]), schedule)).toBe(true);
    const failed = rejected({ status: 503 });
    const settlement = settlementOf(afterTwoDeferrals, failedRecord(4), failed, schedule, now);
    // Its second real attempt failed and the schedule allows two: undelivered, as without deferrals.
    expect(settlement.next).toBe('undelivered');
    const first = withHistory(2, [deferralRecord(1)]);
    expect(settlementOf(first, failedRecord(2), failed, schedule, now)).toMatchObject({
      next: 'retry',
      nextAttemptAt: new Date(now + schedule.delayAfter(1)!),
    });
  });
});
