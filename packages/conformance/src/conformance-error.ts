import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/** The stable codes of {@link ConformanceError}: mistakes in how the kit is called, never check outcomes. */
export const ConformanceErrorCode = {
  InvalidOptions: 'INVALID_OPTIONS',
  UnknownCheck: 'UNKNOWN_CHECK',
} as const;

/** A code of {@link ConformanceError}. */
export type ConformanceErrorCode = ErrorCodeOf<typeof ConformanceErrorCode>;

/**
 * Thrown for programmer errors only: an invalid URL or option, an unknown check id. A server that
 * fails checks, or cannot be reached, is a report, never a throw.
 */
export class ConformanceError extends defineErrorFamily('ConformanceError', ConformanceErrorCode).Base {}

/** Whether `value` is a {@link ConformanceError}, also across copies of this package. */
export const isConformanceError = errorGuard(ConformanceError);
