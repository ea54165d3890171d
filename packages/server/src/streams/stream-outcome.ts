import { EventErrorType, EventMessageCode, readResponseOutcome, type RetrySchedule } from '@events-protocol/core';
import type { ResponseEvent } from '@events-protocol/core';
import type { DeadLetterReason } from './stream-source.js';

/** What a consumer does with a message once its handler answered. */
export type StreamOutcome =
  | { readonly action: 'ack' }
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'deadLetter'; readonly reason: DeadLetterReason };

const ack: StreamOutcome = Object.freeze({ action: 'ack' });
const rejected: StreamOutcome = Object.freeze({ action: 'deadLetter', reason: 'rejected' });
const exhausted: StreamOutcome = Object.freeze({ action: 'deadLetter', reason: 'exhausted' });

function codeOf(answer: ResponseEvent): unknown {
  const payload = answer.payload as { code?: unknown } | null | undefined;
  return typeof payload === 'object' && payload !== null ? payload.code : undefined;
}

/**
 * Maps an answer to what happens to its message: a success or a redirect is acknowledged;
 * `<name>:error` (an unexpected failure, a handler timeout, an overload) is retried on `schedule`
 * after attempt `attempt`, and dead-lettered once the schedule allows no more; `DEADLINE_EXCEEDED`
 * and every typed error (`badRequest`, `eventNotFound`, `badProtocol`, `unauthorized`, an
 * application's own type…) are dead-lettered at once, because running the same event again
 * would answer the same.
 */
export function streamOutcomeOf(answer: ResponseEvent, attempt: number, schedule: RetrySchedule): StreamOutcome {
  const outcome = readResponseOutcome(answer.name);
  if (outcome.kind !== 'error') return ack;
  if (outcome.errorType !== EventErrorType.Error) return rejected;
  if (codeOf(answer) === EventMessageCode.DeadlineExceeded) return rejected;
  const delayMs = schedule.delayAfter(attempt);
  return delayMs === undefined ? exhausted : { action: 'retry', delayMs };
}
