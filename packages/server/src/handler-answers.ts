import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  readResponseOutcome,
  type EventDeprecation,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import type { z } from 'zod';
import type { EventLogger } from './event-logger.js';
import type { OutOfTimeCause } from './event-run.js';
import type { HandlerRegistration } from './handler-registration.js';

/** One payload problem as it travels in a `badRequest` answer. */
export interface PayloadIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** The `<name>:badRequest` answer to a payload its schema rejects, listing zod's issues. */
export function invalidPayloadAnswer(event: RequestEvent, error: z.ZodError): ResponseEvent {
  const issues: PayloadIssue[] = error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
    code: issue.code,
  }));
  return EventBuilder.errorFor(event, EventErrorType.BadRequest, {
    code: EventMessageCode.InvalidPayload,
    parameters: { issues },
  });
}

/**
 * Whether a handler returned a response event it built itself for this request, rather than a
 * payload: an object with the event fields whose `id` is the request's and whose name answers it.
 */
export function isResponseEventFor(event: RequestEvent, result: unknown): result is ResponseEvent {
  if (typeof result !== 'object' || result === null) return false;
  const candidate = result as Record<string, unknown>;
  const name = candidate['name'];
  return (
    candidate['id'] === event.id &&
    typeof name === 'string' &&
    (name.startsWith(`${event.name}:`) ||
      name === EventErrorType.EventNotFound ||
      name === EventErrorType.BadProtocol) &&
    typeof candidate['version'] === 'number' &&
    typeof candidate['flowId'] === 'string' &&
    'payload' in candidate &&
    typeof candidate['identity'] === 'object' &&
    typeof candidate['auth'] === 'object' &&
    typeof candidate['metadata'] === 'object'
  );
}

/**
 * The answer to what a handler returned: a payload becomes `<name>:response`, a response event it
 * built is answered as is; success payloads must pass the response schema, or the answer is
 * `<name>:error` `INVALID_RESPONSE` (a server bug, logged).
 */
export function answerForResult(
  registration: HandlerRegistration,
  event: RequestEvent,
  result: unknown,
  logger: EventLogger,
): ResponseEvent {
  const schema = registration.response;
  if (isResponseEventFor(event, result)) {
    if (schema === undefined || readResponseOutcome(result.name).kind !== 'success') return result;
    const parsed = schema.safeParse(result.payload);
    return parsed.success ? { ...result, payload: parsed.data } : invalidResponseAnswer(event, parsed.error, logger);
  }
  const payload = result === undefined ? null : result;
  if (schema === undefined) return EventBuilder.responseFor(event, payload);
  const parsed = schema.safeParse(payload);
  return parsed.success
    ? EventBuilder.responseFor(event, parsed.data)
    : invalidResponseAnswer(event, parsed.error, logger);
}

function invalidResponseAnswer(event: RequestEvent, error: unknown, logger: EventLogger): ResponseEvent {
  logger.error(
    { err: error, event: event.name, version: event.version, id: event.id, flowId: event.flowId },
    'handler answered a payload that fails its response schema',
  );
  return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.InvalidResponse });
}

/**
 * The answer when time ran out: `HANDLER_TIMEOUT` when the handler's own timeout ended it,
 * `DEADLINE_EXCEEDED` when the caller's deadline did (or had passed on arrival).
 */
export function outOfTimeAnswer(event: RequestEvent, cause: OutOfTimeCause, timeoutMs: number): ResponseEvent {
  return cause === 'timeout'
    ? EventBuilder.errorFor(event, EventErrorType.Error, {
        code: EventMessageCode.HandlerTimeout,
        parameters: { timeoutMs },
      })
    : EventBuilder.errorFor(event, EventErrorType.Error, {
        code: EventMessageCode.DeadlineExceeded,
        parameters: {},
      });
}

/** An answer to a deprecated version, telling the caller in `metadata.deprecation`. */
export function withDeprecationNotice(answer: ResponseEvent, deprecated: EventDeprecation): ResponseEvent {
  return { ...answer, metadata: { ...answer.metadata, deprecation: { deprecated: true, ...deprecated } } };
}
