import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  isEventError,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';

/**
 * The one place that turns anything a handler or middleware threw into a protocol answer. An
 * `EventError` answers `<name>:<errorType>` with its code and parameters; anything else answers
 * `<name>:error` with code `UNHANDLED_ERROR`, and its message and stack go to the log only.
 */
export function answerForThrown(event: RequestEvent, thrown: unknown, logger: EventLogger): ResponseEvent {
  if (isEventError(thrown)) {
    return EventBuilder.errorFor(event, thrown.errorType, { code: thrown.code, parameters: thrown.parameters });
  }
  if (logger.isLevelEnabled('error')) {
    logger.error(
      { err: thrown, event: event.name, version: event.version, id: event.id, flowId: event.flowId },
      'handler failed with an unexpected error',
    );
  }
  return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.UnhandledError });
}
