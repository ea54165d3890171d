import type { RetrySchedule } from '@events-protocol/core';
import { isPermanentPublishError, isPublishError, PublishErrorCode } from '@events-protocol/publish';
import type { AttemptRecord, ClaimedEvent, Settlement } from './outbox-store.js';
import { failedAttempt } from './stored-record.js';

// The relay's decisions, as pure functions: what an attempt is recorded as, and what follows it.

/** The longest `Retry-After` the relay honours, in ms (one day): a target cannot park an entry for years. */
export const maxRetryAfterMs = 24 * 60 * 60 * 1000;

/** The most of a target's answer kept with an attempt, in characters. */
export const maxResponseExcerpt = 2048;

/** How one publish of a claimed entry went, as the relay measured it. */
export type PublishOutcome =
  | { ok: true; at: Date; durationMs: number; report: unknown }
  | { ok: false; at: Date; durationMs: number; error: unknown };

/** The record of a publish: `delivered` with what the sink reported, or `failed` with why. */
export function attemptRecordOf(claimed: ClaimedEvent, outcome: PublishOutcome): AttemptRecord {
  const durationMs = Math.max(0, Math.round(outcome.durationMs));
  if (!outcome.ok) return failedAttempt(outcome.error, claimed.attempt, outcome.at, durationMs);
  const record: AttemptRecord = {
    attempt: claimed.attempt,
    at: outcome.at.toISOString(),
    durationMs,
    outcome: 'delivered',
  };
  const report = outcome.report as { status?: unknown; responseExcerpt?: unknown } | undefined | null;
  if (typeof report?.status === 'number' && Number.isInteger(report.status)) record.status = report.status;
  if (typeof report?.responseExcerpt === 'string') {
    record.responseExcerpt = report.responseExcerpt.slice(0, maxResponseExcerpt);
  }
  return record;
}

/**
 * How long the target asked to be left alone (a PublishError's `retryAfterMs`), capped at
 * {@link maxRetryAfterMs}; 0 when it did not ask.
 */
export function retryAfterOf(error: unknown): number {
  if (!isPublishError(error)) return 0;
  const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof asked !== 'number' || !Number.isFinite(asked) || asked <= 0) return 0;
  return Math.min(asked, maxRetryAfterMs);
}

/**
 * Whether a sink put the attempt back without making it (a `PublishError` `DEFERRED`, such as a
 * webhook endpoint's rate limit): the entry is due again after the error's `retryAfterMs`, and
 * the claim spends none of its attempts.
 */
export function isDeferral(error: unknown): boolean {
  return isPublishError(error) && error.code === PublishErrorCode.Deferred;
}

/** How many of a claim's earlier attempts were deferrals: kept records with the code `DEFERRED`. */
export function deferralsIn(history: readonly AttemptRecord[]): number {
  let deferrals = 0;
  for (const record of history) if (record.error?.code === PublishErrorCode.Deferred) deferrals++;
  return deferrals;
}

/**
 * The attempt a claim is against its schedule's budget: its number less the deferrals before it
 * (as far as the kept history, its newest 100 records, shows them).
 */
export function budgetedAttempt(claimed: ClaimedEvent): number {
  return claimed.attempt - deferralsIn(claimed.history);
}

/**
 * What follows an attempt: delivered; due again after the sink's wait for a deferral (no attempt
 * spent); undelivered after the schedule's last attempt or a failure
 * no retry can mend (`isPermanentPublishError`); otherwise another attempt after the schedule's
 * delay, or after the target's `Retry-After` when that is longer.
 */
export function settlementOf(
  claimed: ClaimedEvent,
  attempt: AttemptRecord,
  error: unknown,
  schedule: RetrySchedule,
  now: number,
): Settlement {
  if (attempt.outcome === 'delivered') return { claimed, attempt, next: 'delivered' };
  if (isDeferral(error)) return { claimed, attempt, next: 'retry', nextAttemptAt: new Date(now + retryAfterOf(error)) };
  if (isPermanentPublishError(error)) return { claimed, attempt, next: 'undelivered' };
  const delay = schedule.delayAfter(budgetedAttempt(claimed));
  if (delay === undefined) return { claimed, attempt, next: 'undelivered' };
  const wait = Math.max(delay, retryAfterOf(error));
  return { claimed, attempt, next: 'retry', nextAttemptAt: new Date(now + wait) };
}

/**
 * Whether a claim is beyond its schedule's budget: the attempt before it was the last one allowed
 * (and was interrupted, or the budget was lowered since). Such an entry is not published again.
 */
export function budgetSpent(claimed: ClaimedEvent, schedule: RetrySchedule): boolean {
  return budgetedAttempt(claimed) > schedule.maxAttempts;
}

/** The record of a claim settled undelivered without publishing, its budget spent. */
export function budgetSpentAttempt(claimed: ClaimedEvent, schedule: RetrySchedule, at: Date): AttemptRecord {
  return notPublished(claimed, at, {
    name: 'AttemptBudgetSpent',
    code: 'ATTEMPTS_EXHAUSTED',
    message: `not published: the schedule allows ${schedule.maxAttempts} attempts, and attempt ${claimed.attempt - 1} was the last`,
  });
}

/** The record of a claim not published because its schedule could not be found. */
export function scheduleFailedAttempt(claimed: ClaimedEvent, at: Date, error: unknown): AttemptRecord {
  const reason = error instanceof Error ? error.message : String(error);
  return notPublished(claimed, at, {
    name: 'ScheduleFailed',
    code: 'SCHEDULE_FAILED',
    message: `not published: its retry schedule could not be found: ${reason}`,
  });
}

function notPublished(claimed: ClaimedEvent, at: Date, error: AttemptRecord['error'] & object): AttemptRecord {
  return { attempt: claimed.attempt, at: at.toISOString(), durationMs: 0, outcome: 'failed', error };
}
