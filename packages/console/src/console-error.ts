import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/** The stable codes of {@link ConsoleError}. */
export const ConsoleErrorCode = {
  /** The console's options are invalid (no `authorize`, a bad `basePath`, an unknown outbox name). */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** One of {@link ConsoleErrorCode}'s values. */
export type ConsoleErrorCode = ErrorCodeOf<typeof ConsoleErrorCode>;

/** Every error the console throws itself (a programmer's mistake in its options); `code` says which. */
export class ConsoleError extends defineErrorFamily('ConsoleError', ConsoleErrorCode).Base {}

/** Whether a value is a {@link ConsoleError}, across package copies. */
export const isConsoleError = errorGuard(ConsoleError);
