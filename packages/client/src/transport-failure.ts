import type { RequestEvent } from '@events-protocol/core';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import type { FailedDependencyResult, TimeoutResult } from './send-result.js';

/** What a transport error means for the call. */
export type TransportFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'unreachable'; readonly cause: unknown }
  | { readonly kind: 'invalidResponse'; readonly cause: unknown }
  | { readonly kind: 'aborted'; readonly cause: unknown };

const timeoutCodes: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'EVENTS_TRANSPORT_TIMEOUT',
]);

/**
 * The one place that reads transport errors (undici's `UND_ERR_*`, socket errors, aborts): a
 * response that did not arrive in time is a timeout; a connection that failed, was refused, reset
 * or timed out while connecting means the server was unreachable; an answer over the size limit is
 * not a usable response.
 */
export function readTransportFailure(error: unknown): TransportFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof code === 'string' && timeoutCodes.has(code)) return { kind: 'timeout' };
  if (name === 'ResponseTooLargeError') return { kind: 'invalidResponse', cause: error };
  if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR' || name === 'AbortError')
    return { kind: 'aborted', cause: error };
  return { kind: 'unreachable', cause: error };
}

/**
 * The outcome of an attempt that failed in transport: a timeout or a failed dependency.
 *
 * @throws {EventClientError} `ABORTED` when the attempt was cancelled.
 */
export function resultOfFailure(
  failure: TransportFailure,
  request: RequestEvent,
  timeoutMs: number,
  attempts: number,
): TimeoutResult | FailedDependencyResult {
  switch (failure.kind) {
    case 'timeout':
      return { kind: 'timeout', timeoutMs, request, attempts };
    case 'aborted':
      throw new EventClientError(EventClientErrorCode.Aborted, `${request.name}: cancelled`, { cause: failure.cause });
    case 'unreachable':
    case 'invalidResponse':
      return { kind: 'failedDependency', reason: failure.kind, cause: failure.cause, request, attempts };
  }
}
