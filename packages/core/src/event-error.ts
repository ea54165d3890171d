import type { EventErrorTypeName } from './error-type.js';
import type { EventMessage } from './event-message.js';

/**
 * What a handler throws to answer a typed error: the processor turns it into
 * `<name>:<errorType>` with `{ code, parameters }` as payload. Its message never reaches the wire.
 *
 * @example
 * throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
 */
export class EventError extends Error {
  override readonly name = 'EventError';
  readonly errorType: EventErrorTypeName;
  readonly code: string;
  readonly parameters: Record<string, unknown>;

  constructor(
    errorType: EventErrorTypeName,
    message: { code: string; parameters?: Record<string, unknown> },
    options?: { cause?: unknown },
  ) {
    super(`${errorType}: ${message.code}`, options);
    this.errorType = errorType;
    this.code = message.code;
    this.parameters = message.parameters ?? {};
  }

  /** The error payload this error answers with. */
  toEventMessage(): EventMessage {
    return { code: this.code, parameters: this.parameters };
  }
}

/**
 * Whether `value` is an {@link EventError}, also when it comes from another copy of this package
 * (where `instanceof` fails).
 */
export function isEventError(value: unknown): value is EventError {
  if (value instanceof EventError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.name === 'EventError' &&
    typeof candidate.errorType === 'string' &&
    typeof candidate.code === 'string' &&
    typeof candidate.parameters === 'object' &&
    candidate.parameters !== null
  );
}
