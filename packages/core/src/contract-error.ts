import { EventError, type EventErrorContract } from './event-error.js';

/** What `contract.error(…)` may be given besides the error type and its parameters. */
export interface ContractErrorOptions {
  /** The payload's `code`; by default the error type in SCREAMING_SNAKE_CASE (`notFound` → `NOT_FOUND`). */
  code?: string;
  /** The error that led to this one; kept for the log, never sent. */
  cause?: unknown;
}

/**
 * The code a declared error answers with when none is given: its type in SCREAMING_SNAKE_CASE
 * (`notFound` → `NOT_FOUND`, `quotaExceeded` → `QUOTA_EXCEEDED`, `HTTPFailure` → `HTTP_FAILURE`).
 */
export function defaultErrorCode(errorType: string): string {
  return errorType
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * The {@link EventError} a contract's `error(…)` helper makes: it remembers the contract, so the
 * server can tell it from a hand-made one. Its parameters are checked by the server against the
 * contract's schema when it is answered, not here.
 */
export function contractError(
  contract: EventErrorContract,
  errorType: string,
  parameters: unknown,
  options: ContractErrorOptions = {},
): EventError {
  const code = options.code ?? defaultErrorCode(errorType);
  const message = { code, parameters: parameters as Record<string, unknown> };
  return options.cause === undefined
    ? new EventError(errorType, message, { contract })
    : new EventError(errorType, message, { contract, cause: options.cause });
}
