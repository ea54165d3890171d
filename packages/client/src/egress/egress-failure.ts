import { EgressErrorCode, type EgressFailure, type EgressPhase } from './egress-error.js';

/** Where an exchange was when an error reached it, and whether its caller's signal had fired. */
export interface FailureContext {
  /** The phase the exchange was in. */
  readonly phase: EgressPhase;
  /** The caller's signal fired: whatever the error says, the request was cancelled. */
  readonly callerAborted: boolean;
}

// Failures that mean no connection was ever made.
const connectFailureCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// Codes that say by themselves which phase timed out or failed, wherever the exchange thought it was.
const phaseOfCode: Readonly<Record<string, { code: EgressFailure['code']; phase: EgressPhase }>> = {
  UND_ERR_CONNECT_TIMEOUT: { code: EgressErrorCode.Timeout, phase: 'connect' },
  UND_ERR_HEADERS_TIMEOUT: { code: EgressErrorCode.Timeout, phase: 'headers' },
  UND_ERR_BODY_TIMEOUT: { code: EgressErrorCode.Timeout, phase: 'body' },
  UND_ERR_RES_EXCEEDED_MAX_SIZE: { code: EgressErrorCode.ResponseTooLarge, phase: 'body' },
  UND_ERR_INVALID_ARG: { code: EgressErrorCode.InvalidOptions, phase: 'request' },
  UND_ERR_NOT_SUPPORTED: { code: EgressErrorCode.InvalidOptions, phase: 'request' },
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: { code: EgressErrorCode.InvalidOptions, phase: 'request' },
  ERR_INVALID_URL: { code: EgressErrorCode.InvalidOptions, phase: 'request' },
  UND_ERR_CLOSED: { code: EgressErrorCode.Closed, phase: 'request' },
  UND_ERR_DESTROYED: { code: EgressErrorCode.Closed, phase: 'request' },
};

const abortCodes: ReadonlySet<string> = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

const maxChainLength = 32;

/**
 * Every error in `error`'s chain, outermost first: each `cause`, and each of an `AggregateError`'s
 * `errors` (a connection tried on several addresses). Cycles and very long chains end the walk.
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < maxChainLength) {
    const next = queue.shift();
    if (next === undefined || next === null || seen.has(next)) continue;
    seen.add(next);
    chain.push(next);
    if (typeof next !== 'object') continue;
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return chain;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** `CODE: message` of one error, or its message when it has no code (or the message holds it). */
export function describeError(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  const code = codeOf(error);
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`;
}

const timeoutWording: Readonly<Record<EgressPhase, string>> = {
  request: 'not sent',
  connect: 'not connected',
  headers: 'no response headers',
  body: 'the response body did not end',
};

/** How a failure of each kind is told, by phase. */
function messageOf(code: EgressFailure['code'], phase: EgressPhase, detail: string): string {
  switch (code) {
    case EgressErrorCode.Timeout:
      return `timed out in the ${phase} phase: ${timeoutWording[phase]} in time (${detail})`;
    case EgressErrorCode.Unreachable:
      return phase === 'connect' ? `could not connect: ${detail}` : `connected, but no response: ${detail}`;
    case EgressErrorCode.ResponseInterrupted:
      return `the response was cut off while its body was read: ${detail}`;
    case EgressErrorCode.ResponseTooLarge:
      return `the response is too large: ${detail}`;
    case EgressErrorCode.Aborted:
      return `cancelled by the caller in the ${phase} phase`;
    case EgressErrorCode.Closed:
      return `the connection pool is closed: ${detail}`;
    case EgressErrorCode.InvalidOptions:
      return `the request cannot be sent: ${detail}`;
  }
}

/**
 * The one mapping of what undici, the system, a connector or a signal threw into an
 * {@link EgressFailure}. It walks the whole cause chain (undici and `fetch` wrap errors; a
 * connection tried on several addresses fails with an `AggregateError`): a code that names its
 * phase (undici's connect, headers and body timeouts) wins; a failure to resolve or connect is
 * `UNREACHABLE` in the connect phase; anything else is read by the phase the exchange was in:
 * `UNREACHABLE` before the response headers, `RESPONSE_INTERRUPTED` after. A fired caller signal
 * is always `ABORTED`.
 */
export function readEgressFailure(error: unknown, context: FailureContext): EgressFailure {
  const chain = causeChain(error);
  if (context.callerAborted) {
    return {
      code: EgressErrorCode.Aborted,
      phase: context.phase,
      message: messageOf('ABORTED', context.phase, ''),
      cause: error,
    };
  }
  for (const link of chain) {
    const code = codeOf(link);
    if (code === undefined) {
      if (nameOf(link) === 'TimeoutError') return failure(EgressErrorCode.Timeout, context.phase, link, error);
      continue;
    }
    const named = phaseOfCode[code];
    if (named !== undefined) return failure(named.code, named.phase, link, error);
    if (code === 'ETIMEDOUT' && context.phase === 'connect')
      return failure(EgressErrorCode.Timeout, 'connect', link, error);
    if (connectFailureCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
      return failure(EgressErrorCode.Unreachable, 'connect', link, error);
    }
  }
  // Aborted by someone else than the caller (a dispatcher shutting down, an interceptor).
  const detailed = chain.find((link) => codeOf(link) !== undefined && !abortCodes.has(codeOf(link) ?? '')) ?? error;
  const code = context.phase === 'body' ? EgressErrorCode.ResponseInterrupted : EgressErrorCode.Unreachable;
  return failure(code, context.phase === 'request' ? 'connect' : context.phase, detailed, error);
}

function failure(code: EgressFailure['code'], phase: EgressPhase, detailed: unknown, cause: unknown): EgressFailure {
  return { code, phase, message: messageOf(code, phase, describeError(detailed)), cause };
}

/** The failure of a phase that outlived its limit, as the egress's own timer tells it. */
export function timeoutFailure(phase: EgressPhase, limitMs: number): EgressFailure {
  return {
    code: EgressErrorCode.Timeout,
    phase,
    message: `timed out in the ${phase} phase: ${timeoutWording[phase]} within ${limitMs} ms`,
  };
}
