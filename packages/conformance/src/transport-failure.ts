/** Why a request got no HTTP answer: it never reached the server, or the server took it and said nothing. */
export interface TransportFailure {
  /**
   * `unreachable`: no connection (refused, no such host, no route, connect timed out, TLS refused).
   * `no-answer`: connected, then the socket was reset or closed, the reply was empty or cut short,
   * or the answer did not come in time.
   */
  readonly kind: 'unreachable' | 'no-answer';
  /** One line: what happened, with the system's or undici's code. */
  readonly reason: string;
}

// Failures that happen before a connection exists: the server was never reached.
const connectCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const answerTimeoutCodes: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Classifies an error from sending one request. `connected` says whether a connection to the
 * server was made during the run: a request that timed out without one never reached the server.
 */
export function classifyTransportError(error: unknown, timeoutMs: number, connected: boolean): TransportFailure {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return connected
      ? { kind: 'no-answer', reason: `connected, but no answer within ${timeoutMs} ms` }
      : { kind: 'unreachable', reason: `could not connect within ${timeoutMs} ms` };
  }
  const code = errorCode(error) ?? errorCode(error instanceof Error ? error.cause : undefined);
  const message = error instanceof Error ? error.message : String(error);
  const described = code === undefined || message.includes(code) ? message : `${code}: ${message}`;
  if (code !== undefined && connectCodes.has(code)) return { kind: 'unreachable', reason: described };
  if (code !== undefined && answerTimeoutCodes.has(code)) {
    return { kind: 'no-answer', reason: `connected, but no answer within ${timeoutMs} ms (${code})` };
  }
  return { kind: 'no-answer', reason: `connected, but no answer: ${described}` };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as Record<string, unknown>)['code'];
  return typeof code === 'string' ? code : undefined;
}
