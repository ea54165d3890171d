import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import type { z } from 'zod';

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
