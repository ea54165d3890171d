import { defineErrorFamily } from '@events-protocol/core';

/** The stable codes of {@link ConsoleError}. */
export const ConsoleErrorCode = {
  /** The console's options are invalid (no `authorize`, a bad `basePath`, an unknown outbox name). */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** One of {@link ConsoleErrorCode}'s values. */
export type ConsoleErrorCode = (typeof ConsoleErrorCode)[keyof typeof ConsoleErrorCode];

const consoleErrors = defineErrorFamily('ConsoleError', ConsoleErrorCode);

/** Every error the console throws itself (a programmer's mistake in its options); `code` says which. */
export class ConsoleError extends consoleErrors.Base {
  constructor(code: ConsoleErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Whether a value is a {@link ConsoleError}, across package copies. */
export function isConsoleError(value: unknown): value is ConsoleError {
  return consoleErrors.is(value);
}
