import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  readResponseOutcome,
  validateSchema,
  type EventDeprecation,
  type RequestEvent,
  type ResponseEvent,
  type SchemaIssue,
  type SchemaValidation,
} from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';
import type { OutOfTimeCause } from './event-run.js';
import type { HandlerRegistration } from './handler-registration.js';

/**
 * One payload problem as it travels in a `badRequest` answer: `path`, `message`, and the
 * validator's `code` (`invalid` when the validator gives none, as valibot does).
 */
export type PayloadIssue = SchemaIssue;

/** The `<name>:badRequest` answer to a payload its schema rejects, listing the validator's issues. */
export function invalidPayloadAnswer(event: RequestEvent, issues: readonly PayloadIssue[]): ResponseEvent {
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
): ResponseEvent | Promise<ResponseEvent> {
  const schema = registration.response;
  const built = isResponseEventFor(event, result) ? result : undefined;
  if (built !== undefined && (schema === undefined || readResponseOutcome(built.name).kind !== 'success')) return built;
  const payload = built !== undefined ? built.payload : result === undefined ? null : result;
  if (schema === undefined) return EventBuilder.responseFor(event, payload);
  const checked = validateSchema(schema, payload);
  if (checked instanceof Promise) return checked.then((settled) => checkedAnswer(event, built, settled, logger));
  return checkedAnswer(event, built, checked, logger);
}

function checkedAnswer(
  event: RequestEvent,
  built: ResponseEvent | undefined,
  checked: SchemaValidation,
  logger: EventLogger,
): ResponseEvent {
  if (!checked.ok) return invalidResponseAnswer(event, checked.issues, logger);
  return built === undefined ? EventBuilder.responseFor(event, checked.value) : { ...built, payload: checked.value };
}

function invalidResponseAnswer(
  event: RequestEvent,
  issues: readonly SchemaIssue[],
  logger: EventLogger,
): ResponseEvent {
  logger.error(
    { issues, event: event.name, version: event.version, id: event.id, flowId: event.flowId },
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
