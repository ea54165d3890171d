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
 * A transport throws on failure: an `EgressError` (code and phase), a {@link TransportTimeoutError},
 * or an `AbortError` when the caller's signal fired; anything else means the server was unreachable.
 */
export interface EventTransport {
  send(request: TransportRequest): Promise<TransportAnswer>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** Thrown by transports when an attempt's time ran out before an answer. */
export class TransportTimeoutError extends Error {
  override readonly name = 'TransportTimeoutError';
  readonly code = 'EVENTS_TRANSPORT_TIMEOUT';
}
