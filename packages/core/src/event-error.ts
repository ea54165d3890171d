import type { EventErrorTypeName } from './error-type.js';
import { defineErrorFamily } from './error-family.js';
import type { EventMessage } from './event-message.js';

const eventErrors = defineErrorFamily('EventError');

/**
 * What a handler throws to answer a typed error: the processor turns it into
 * `<name>:<errorType>` with `{ code, parameters }` as payload. Its message never reaches the wire.
 *
 * @example
 * throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
 */
export class EventError extends eventErrors.Base {
  readonly errorType: EventErrorTypeName;
  readonly parameters: Record<string, unknown>;

  constructor(
    errorType: EventErrorTypeName,
    message: { code: string; parameters?: Record<string, unknown> },
    options?: { cause?: unknown },
  ) {
    super(message.code, `${errorType}: ${message.code}`, options);
    this.errorType = errorType;
    this.parameters = message.parameters ?? {};
  }

  /** The error payload this error answers with. */
  toEventMessage(): EventMessage {
    return { code: this.code, parameters: this.parameters };
  }
}

/**
 * Whether `value` is an {@link EventError}, also when it comes from another copy of this package
 * (where `instanceof` fails): its family brand says so. Its code is the application's own.
 */
export function isEventError(value: unknown): value is EventError {
  return eventErrors.is(value);
}
