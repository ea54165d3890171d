import {
  causeChain,
  describeError,
  isEgressError,
  type EgressErrorCode,
  type EgressPhase,
} from '@events-protocol/client/egress';

/** Why a request got no HTTP answer: it never reached the server, or the server took it and said nothing. */
export interface TransportFailure {
  /**
   * `unreachable`: no connection (refused, no such host, no route, connect timed out, TLS refused).
   * `no-answer`: connected, then the socket was reset or closed, the reply was empty, cut short or
   * too large, or the answer did not come in time.
   */
  readonly kind: 'unreachable' | 'no-answer';
  /** One line: what happened, with the system's or undici's code. */
  readonly reason: string;
  /** The HTTP egress's failure code (`UNREACHABLE`, `TIMEOUT`, `RESPONSE_TOO_LARGE`, `RESPONSE_INTERRUPTED`…). */
  readonly code: EgressErrorCode | 'UNKNOWN';
  /** Where the request was when it failed: `connect`, `headers` or `body` (`request` if it was never sent). */
  readonly phase: EgressPhase;
}

/** The innermost error of the chain that carries a code (the system's or undici's), described. */
function underlying(error: unknown): string {
  const chain = causeChain(error).slice(1);
  const coded = chain.filter((link) => typeof (link as { code?: unknown }).code === 'string');
  const detail = coded.at(-1) ?? chain.at(-1);
  return describeError(detail ?? error);
}

/**
 * Classifies what the HTTP egress threw for one request sent with `timeoutMs` as its bound. The
 * egress names the phase: a failure while connecting means the server was never reached; one
 * after the connection means it took the request and did not answer.
 */
export function classifyTransportError(error: unknown, timeoutMs: number): TransportFailure {
  if (!isEgressError(error)) {
    return {
      kind: 'no-answer',
      reason: `connected, but no answer: ${describeError(error)}`,
      code: 'UNKNOWN',
      phase: 'headers',
    };
  }
  const { code, phase } = error;
  if (phase === 'connect' || phase === 'request') {
    const reason = code === 'TIMEOUT' ? `could not connect within ${timeoutMs} ms` : underlying(error);
    return { kind: 'unreachable', reason, code, phase };
  }
  switch (code) {
    case 'TIMEOUT':
      return { kind: 'no-answer', reason: `connected, but no answer within ${timeoutMs} ms`, code, phase };
    case 'RESPONSE_TOO_LARGE':
      return { kind: 'no-answer', reason: `connected, but the answer is too large: ${error.message}`, code, phase };
    case 'UNREACHABLE':
    case 'RESPONSE_INTERRUPTED':
    case 'ABORTED':
    case 'CLOSED':
    case 'INVALID_OPTIONS':
      return { kind: 'no-answer', reason: `connected, but no answer: ${underlying(error)}`, code, phase };
  }
}
