import {
  EventErrorType,
  readJson,
  readResponseOutcome,
  type EventErrorTypeName,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import type { TransportAnswer } from './event-transport.js';
import { readResponseEnvelope } from './read-response-envelope.js';
import type { SendResult } from './send-result.js';

/** The most of an unusable body a result keeps for diagnosis. */
export const maxBodyExcerpt = 8192;

/**
 * Reads what a server answered: a 2xx carrying a response event is a success or an error by its
 * name (unknown error suffixes included); a non-2xx status, or a body that is not a response
 * event, is a failed dependency with the start of the body kept.
 */
export function readAnswer(request: RequestEvent, answer: TransportAnswer, attempts: number): SendResult {
  if (answer.status < 200 || answer.status > 299) {
    return failed(request, answer, attempts, 'status');
  }
  let value: unknown;
  try {
    value = readJson(answer.body);
  } catch {
    return failed(request, answer, attempts, 'invalidResponse');
  }
  const event = readResponseEnvelope(value, request);
  if (event === undefined) return failed(request, answer, attempts, 'invalidResponse');
  const outcome = readResponseOutcome(event.name);
  return outcome.kind === 'error'
    ? { kind: 'error', event, errorType: errorTypeOf(outcome.errorType, event), request, attempts }
    : { kind: 'success', event, redirect: outcome.kind === 'redirect', request, attempts };
}

/** The code the JVM and Python implementations give their `<name>:notFound` answer when no handler serves an event. */
const noHandlerCode = 'EVENT_NOT_FOUND';

/**
 * The error type of an answer, read as the protocol means it: the JVM and Python implementations
 * answer an event no handler serves with `<name>:notFound` and code `EVENT_NOT_FOUND`, which is
 * `eventNotFound`, not a handler's own `notFound` (`USER_NOT_FOUND`, …).
 */
function errorTypeOf(errorType: EventErrorTypeName, event: ResponseEvent): EventErrorTypeName {
  if (errorType !== EventErrorType.NotFound) return errorType;
  const code = (event.payload as { code?: unknown } | null)?.code;
  return code === noHandlerCode ? EventErrorType.EventNotFound : errorType;
}

function failed(
  request: RequestEvent,
  answer: TransportAnswer,
  attempts: number,
  reason: 'status' | 'invalidResponse',
): SendResult {
  const result = {
    kind: 'failedDependency',
    reason,
    status: answer.status,
    body: answer.body.slice(0, maxBodyExcerpt),
    request,
    attempts,
  } as const;
  return answer.retryAfterMs === undefined ? result : { ...result, retryAfterMs: answer.retryAfterMs };
}
