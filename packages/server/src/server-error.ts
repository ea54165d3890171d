import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/** The stable codes of {@link ServerError}: mistakes in how the server is set up, never request outcomes. */
export const ServerErrorCode = {
  DuplicateHandler: 'DUPLICATE_HANDLER',
  InvalidHandler: 'INVALID_HANDLER',
  InvalidOptions: 'INVALID_OPTIONS',
  ReservedContextName: 'RESERVED_CONTEXT_NAME',
} as const;

/** A code of {@link ServerError}. */
export type ServerErrorCode = ErrorCodeOf<typeof ServerErrorCode>;

/**
 * Thrown at set-up time for programmer errors: a handler registered twice for the same name and
 * version, a handler without a name, bad options. Request outcomes are never thrown.
 */
export class ServerError extends defineErrorFamily('ServerError', ServerErrorCode).Base {}

/** Whether `value` is a {@link ServerError}, across copies of this package. */
export const isServerError = errorGuard(ServerError);
