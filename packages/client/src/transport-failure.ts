import { isEgressError } from './egress/egress-error.js';
import type { TransportPhase } from './send-result.js';

/** What a transport error means for the call. */
export type TransportFailure =
  | { readonly kind: 'timeout'; readonly phase?: TransportPhase; readonly cause: unknown }
  | { readonly kind: 'unreachable'; readonly phase?: TransportPhase; readonly cause: unknown }
  | { readonly kind: 'invalidResponse'; readonly phase?: TransportPhase; readonly cause: unknown }
  | { readonly kind: 'aborted'; readonly cause: unknown }
  | { readonly kind: 'invalidOptions'; readonly cause: unknown };

// Timeouts of other transports: undici's own, and the deprecated code custom transports threw
// before TransportTimeoutError was an EgressError.
const timeoutCodes: ReadonlySet<string> = new Set([
  'EVENTS_TRANSPORT_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const abortCodes: ReadonlySet<string> = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

function phaseOf(phase: string): TransportPhase | undefined {
  return phase === 'connect' || phase === 'headers' || phase === 'body' ? phase : undefined;
}

function withPhase(
  kind: 'timeout' | 'unreachable' | 'invalidResponse',
  phase: string,
  cause: unknown,
): TransportFailure {
  const known = phaseOf(phase);
  return known === undefined ? { kind, cause } : { kind, phase: known, cause };
}

/**
 * Reads what a transport threw. The HTTP egress's errors say it by code and phase: `TIMEOUT` is a
 * timeout; `UNREACHABLE`, `RESPONSE_INTERRUPTED` and a closed pool mean the server was not (or no
 * longer) reachable; `RESPONSE_TOO_LARGE` is not a usable response; `ABORTED` a cancelled call;
 * `INVALID_OPTIONS` a request that cannot be sent (a `TransportTimeoutError` is an egress
 * `TIMEOUT`). Other transports' timeouts and aborts are read by their codes (undici's, and the
 * deprecated `EVENTS_TRANSPORT_TIMEOUT`); anything else is an unreachable server.
 */
export function readTransportFailure(error: unknown): TransportFailure {
  if (isEgressError(error)) {
    switch (error.code) {
      case 'TIMEOUT':
        return withPhase('timeout', error.phase, error);
      case 'UNREACHABLE':
      case 'RESPONSE_INTERRUPTED':
      case 'CLOSED':
        return withPhase('unreachable', error.phase, error);
      case 'RESPONSE_TOO_LARGE':
        return withPhase('invalidResponse', error.phase, error);
      case 'ABORTED':
        return { kind: 'aborted', cause: error };
      case 'INVALID_OPTIONS':
        return { kind: 'invalidOptions', cause: error };
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof code === 'string' && timeoutCodes.has(code)) return { kind: 'timeout', cause: error };
  if ((typeof code === 'string' && abortCodes.has(code)) || name === 'AbortError')
    return { kind: 'aborted', cause: error };
  return { kind: 'unreachable', cause: error };
}
