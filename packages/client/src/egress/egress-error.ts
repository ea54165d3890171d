import { defineErrorFamily, errorGuard, type ErrorCodeOf } from '@events-protocol/core';

/** The stable codes of {@link EgressError}. */
export const EgressErrorCode = {
  /**
   * No response came: the connection was refused, the name did not resolve, the connector refused
   * the target, or the socket was reset or closed (or answered something that is not HTTP) before
   * the status line. `phase` says whether a connection was made.
   */
  Unreachable: 'UNREACHABLE',
  /** A phase took longer than its timeout; `phase` says which. */
  Timeout: 'TIMEOUT',
  /** The response body is larger than `maxResponseBytes`; the request was aborted. */
  ResponseTooLarge: 'RESPONSE_TOO_LARGE',
  /** The connection was reset or closed while the response body was being read. */
  ResponseInterrupted: 'RESPONSE_INTERRUPTED',
  /** The caller's `AbortSignal` cancelled the request. */
  Aborted: 'ABORTED',
  /** The egress was used after `close()`. */
  Closed: 'CLOSED',
  /** The egress or the request was given invalid options (a timeout that is not a positive number, a bad URL or header). */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** A code of {@link EgressErrorCode}. */
export type EgressErrorCode = ErrorCodeOf<typeof EgressErrorCode>;

/**
 * Where a request was when it failed: `request` before anything was sent (bad options, closed),
 * `connect` until a connection carried it (waiting for a pooled socket, DNS, TCP, TLS), `headers`
 * until the status line and headers arrived, `body` while the response body was read.
 */
export type EgressPhase = 'request' | 'connect' | 'headers' | 'body';

/** Why a request gave no usable response, as data: what {@link EgressError} carries. */
export interface EgressFailure {
  readonly code: EgressErrorCode;
  readonly phase: EgressPhase;
  /** One line for people, naming the phase and, for a timeout, the limit. */
  readonly message: string;
  /** The underlying error (undici's, the system's, a connector's, the signal's reason), if any. */
  readonly cause?: unknown;
}

/** The one error an {@link HttpEgress} rejects with: `code` says what failed, `phase` where. */
export class EgressError extends defineErrorFamily('EgressError', EgressErrorCode).Base implements EgressFailure {
  readonly phase: EgressPhase;

  constructor(failure: EgressFailure) {
    super(failure.code, failure.message, { cause: failure.cause });
    this.phase = failure.phase;
  }
}

/** Whether a value is an {@link EgressError}, across copies of the package. */
export const isEgressError = errorGuard(EgressError);
