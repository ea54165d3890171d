import { writeJson, type RequestEvent } from '@events-protocol/core';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import type { TransportAnswer } from './event-transport.js';
import { maxBodyExcerpt, readAnswer } from './read-answer.js';
import type { FailedDependencyResult, SendResult, SuccessResult } from './send-result.js';
import { readTransportFailure } from './transport-failure.js';

/** How one attempt of a call ended, before it is read into an outcome. */
export type AttemptEnd =
  /** The transport brought an answer (any status). */
  | { readonly kind: 'answered'; readonly answer: TransportAnswer }
  /** The transport threw. */
  | { readonly kind: 'threw'; readonly error: unknown }
  /** No time was left to try. */
  | { readonly kind: 'expired' }
  /** A success whose payload the contract's response schema refused (`cause` is its error). */
  | { readonly kind: 'mismatched'; readonly success: SuccessResult; readonly cause: unknown };

/** What the outcome of an attempt is read against. */
export interface AttemptContext {
  readonly request: RequestEvent;
  /** Attempts made so far, this one included (for `expired`, the ones before it). */
  readonly attempts: number;
  /** The call's total budget, in ms. */
  readonly timeoutMs: number;
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The one place where whatever an attempt gave becomes the client's outcome or error: an answer
 * is read as the protocol says (`readAnswer`); what a transport threw is read by
 * `readTransportFailure` into a timeout or a failed dependency; a cancelled call, an
 * unsendable request, and a fired signal whatever the transport said, throw.
 *
 * @throws {EventClientError} `ABORTED` when the caller cancelled, `INVALID_OPTIONS` when the
 * transport refused the request as it was built (a header that cannot be sent).
 */
export function attemptOutcome(
  end: Extract<AttemptEnd, { kind: 'mismatched' }>,
  context: AttemptContext,
): FailedDependencyResult;
export function attemptOutcome(end: AttemptEnd, context: AttemptContext): SendResult;
export function attemptOutcome(end: AttemptEnd, context: AttemptContext): SendResult {
  const { request, attempts, timeoutMs, signal } = context;
  switch (end.kind) {
    case 'answered':
      return readAnswer(request, end.answer, attempts);
    case 'expired':
      return { kind: 'timeout', timeoutMs, request, attempts };
    case 'mismatched':
      return {
        kind: 'failedDependency',
        reason: 'invalidResponse',
        body: writeJson(end.success.event.payload).slice(0, maxBodyExcerpt),
        cause: end.cause,
        request: end.success.request,
        attempts: end.success.attempts,
      };
    case 'threw':
      break;
  }
  if (signal?.aborted === true) {
    throw new EventClientError(EventClientErrorCode.Aborted, `${request.name}: cancelled`, { cause: signal.reason });
  }
  const failure = readTransportFailure(end.error);
  switch (failure.kind) {
    case 'aborted':
      throw new EventClientError(EventClientErrorCode.Aborted, `${request.name}: cancelled`, { cause: failure.cause });
    case 'invalidOptions':
      throw new EventClientError(EventClientErrorCode.InvalidOptions, `${request.name}: the request cannot be sent`, {
        cause: failure.cause,
      });
    case 'timeout': {
      const result = { kind: 'timeout', timeoutMs, request, attempts } as const;
      return failure.phase === undefined ? result : { ...result, phase: failure.phase };
    }
    case 'unreachable':
    case 'invalidResponse': {
      const result = {
        kind: 'failedDependency',
        reason: failure.kind,
        cause: failure.cause,
        request,
        attempts,
      } as const;
      return failure.phase === undefined ? result : { ...result, phase: failure.phase };
    }
  }
}
