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
