import type { EventErrorTypeName } from './error-type.js';
import { defineErrorFamily, errorGuard } from './error-family.js';
import type { EventMessage } from './event-message.js';

/**
 * The contract a declared error was made by (see `contract.error(…)`): its name, version and
 * declared errors. The server uses it to tell a contract's own error from a hand-made one in logs.
 */
export interface EventErrorContract {
  readonly name: string;
  readonly version: number;
  readonly errors: Readonly<Record<string, unknown>>;
}

/** What an {@link EventError} may be given besides its type and message. */
export interface EventErrorOptions {
  /** The error that led to this one; kept for the log, never sent. */
  cause?: unknown;
  /** The contract whose declared error this is; set by `contract.error(…)`. */
  contract?: EventErrorContract;
}

/**
 * What a handler throws to answer a typed error: the processor turns it into
 * `<name>:<errorType>` with `{ code, parameters }` as payload. Its message never reaches the wire.
 * For an error a contract declares, prefer `contract.error(errorType, parameters)`: it is typed.
 *
 * @example
 * throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
 */
export class EventError extends defineErrorFamily('EventError').Base {
  readonly errorType: EventErrorTypeName;
  readonly parameters: Record<string, unknown>;
  // Private, so loggers that copy an error's own properties do not copy a contract's schemas.
  readonly #contract: EventErrorContract | undefined;

  constructor(
    errorType: EventErrorTypeName,
    message: { code: string; parameters?: Record<string, unknown> },
    options?: EventErrorOptions,
  ) {
    super(message.code, `${errorType}: ${message.code}`, options);
    this.errorType = errorType;
    this.parameters = message.parameters ?? {};
    this.#contract = options?.contract;
  }

  /** The contract that made this error with `contract.error(…)`; `undefined` for one made by hand. */
  get contract(): EventErrorContract | undefined {
    return this.#contract;
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
export const isEventError = errorGuard(EventError);
