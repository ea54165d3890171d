import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/** The stable codes of {@link NatsError}. */
export const NatsErrorCode = {
  /** Options given to a NATS sink, server or transport are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
  /** No NATS server or no responder could be reached (no responders, connection closed). */
  Unreachable: 'UNREACHABLE',
  /** The object was used after it was closed or drained. */
  Closed: 'CLOSED',
} as const;

/** A code of {@link NatsError}. */
export type NatsErrorCode = ErrorCodeOf<typeof NatsErrorCode>;

/**
 * Why something of the NATS package could not be set up or used: bad options, a server that
 * cannot be reached, or use after close. Publishing failures are `PublishError`s, as for every sink.
 */
export class NatsError extends defineErrorFamily('NatsError', NatsErrorCode).Base {}

/** Whether a value is a {@link NatsError}, across package copies. */
export const isNatsError = errorGuard(NatsError);
