import { EgressError, EgressErrorCode, type EgressPhase } from './egress/egress-error.js';

/** One attempt of a call, as a transport carries it. */
export interface TransportRequest {
  /** The request event as JSON text. */
  readonly body: string;
  /** Header names and values, alternating (`content-type` and the deadline included). */
  readonly headers: readonly string[];
  /** The time this attempt may take, in ms. */
  readonly timeoutMs: number;
  /** The caller's signal, only when the caller gave one. */
  readonly signal?: AbortSignal;
}

/** What came back: an HTTP-like status and the body text. */
export interface TransportAnswer {
  readonly status: number;
  readonly body: string;
  /** On a 429 or 503, the wait the answer's `Retry-After` asks for, in ms. */
  readonly retryAfterMs?: number;
}

/**
 * How an {@link EventClient} reaches a server: over HTTP by default, or in process for tests.
 * A transport throws on failure: an `EgressError` (code and phase; a {@link TransportTimeoutError}
 * is one), or an `AbortError` when the caller's signal fired; anything else means the server was
 * unreachable. An error whose `code` is `EVENTS_TRANSPORT_TIMEOUT` is still read as a timeout: it
 * is the deprecated way for a custom transport to say so.
 */
export interface EventTransport {
  send(request: TransportRequest): Promise<TransportAnswer>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/**
 * Thrown by transports other than the HTTP egress (in process, NATS) when an attempt's time ran
 * out before an answer: an `EgressError` with the code `TIMEOUT`, so `isEgressError` and the client
 * read it as they read the egress's own timeouts. Its `phase` is `headers` (the answer did not
 * come) unless the transport knows better.
 */
export class TransportTimeoutError extends EgressError {
  override readonly name = 'TransportTimeoutError';

  constructor(message: string, options: { cause?: unknown; phase?: EgressPhase } = {}) {
    super({ code: EgressErrorCode.Timeout, phase: options.phase ?? 'headers', message, cause: options.cause });
  }
}
