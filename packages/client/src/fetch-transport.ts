import { readBytesWithin } from '@events-protocol/core';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import { EgressError, EgressErrorCode, type EgressPhase } from './egress/egress-error.js';
import { readEgressFailure, timeoutFailure } from './egress/egress-failure.js';
import { retryAfterOf } from './egress/retry-after.js';
import type { EventTransport, TransportAnswer, TransportRequest } from './event-transport.js';
import { readFetchFailure } from './fetch-failure.js';
import { defaultMaxAnswerBytes } from './max-answer-bytes.js';

/** The 10 s a phase may take unless told otherwise (the client's own default). */
const defaultPhaseMs = 10_000;

/** How a {@link FetchTransport} sends. */
export interface FetchTransportOptions {
  /**
   * ms to get a connection; 10 s by default. `fetch` does not say when it is connected, so this
   * and `responseMs` together bound the whole attempt (see {@link FetchTransport}).
   */
  readonly connectMs?: number | undefined;
  /** ms from the connection to the end of the answer; 10 s by default. */
  readonly responseMs?: number | undefined;
  /** The largest answer read, in bytes; 16 MiB by default. */
  readonly maxResponseBytes?: number | undefined;
  /** The `fetch` to call; the global one by default (looked up on each call, so a later polyfill counts). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Whether a browser sends cookies with the call: `fetch`'s own default (`same-origin`) unless set. */
  readonly credentials?: RequestInit['credentials'] | undefined;
}

function checkedMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) {
    throw new EventClientError(
      EventClientErrorCode.InvalidOptions,
      `${name} must be a positive, finite number of ms, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * POSTs events with the runtime's `fetch`: the transport of Bun, Deno, browsers and workers, where
 * undici is not the real one, and one any runtime can pick explicitly
 * (`new EventClient({ transport: new FetchTransport(url) })`). The outcomes are those of the
 * undici transport: the same {@link EgressError} codes, `Retry-After` on 429 and 503, the size
 * limit enforced while the body streams in, the deadline and trace headers as the client builds
 * them, and redirects not followed (a 3xx is a failed dependency).
 *
 * Timeouts: `fetch` does not tell when a connection is made, so an attempt may take
 * `connectMs + responseMs` in all, capped by what is left of the call, with one timer. A timeout
 * before the response headers is reported in the `headers` phase, one while the body is read in
 * the `body` phase. A connection refused or a name not resolved is `UNREACHABLE` in the `connect`
 * phase where the runtime says so (Node, Bun, Deno); browsers do not, and report no phase.
 *
 * @example
 * const client = new EventClient({ transport: new FetchTransport('https://api.example/events', { responseMs: 5000 }) });
 * @throws {EventClientError} `INVALID_OPTIONS` from the constructor for a bad URL, timeout or limit.
 */
export class FetchTransport implements EventTransport {
  readonly #url: string;
  readonly #attemptMs: number;
  readonly #maxResponseBytes: number;
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #credentials: RequestInit['credentials'] | undefined;

  constructor(url: string, options: FetchTransportOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new EventClientError(EventClientErrorCode.InvalidOptions, `not a URL: ${url}`, { cause: error });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new EventClientError(EventClientErrorCode.InvalidOptions, 'url must be an http(s) URL');
    }
    this.#url = parsed.href;
    const connectMs = checkedMs('connectMs', options.connectMs, defaultPhaseMs);
    this.#attemptMs = connectMs + checkedMs('responseMs', options.responseMs, defaultPhaseMs);
    const max = options.maxResponseBytes ?? defaultMaxAnswerBytes;
    if (!(Number.isSafeInteger(max) && max > 0)) {
      throw new EventClientError(EventClientErrorCode.InvalidOptions, `maxResponseBytes must be a positive integer`);
    }
    this.#maxResponseBytes = max;
    this.#fetch = options.fetch;
    this.#credentials = options.credentials;
  }

  /** One attempt, within `connectMs + responseMs` and the time left of the call. */
  async send(request: TransportRequest): Promise<TransportAnswer> {
    if (request.signal?.aborted === true) {
      throw new EgressError({
        code: EgressErrorCode.Aborted,
        phase: 'request',
        message: 'cancelled by the caller before the request was sent',
        cause: request.signal.reason,
      });
    }
    const attempt = new FetchAttempt(Math.min(this.#attemptMs, Math.max(1, request.timeoutMs)), request.signal);
    try {
      return await this.#exchange(request, attempt);
    } finally {
      attempt.settle();
    }
  }

  /** Nothing to release: `fetch` keeps its own connections. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #exchange(request: TransportRequest, attempt: FetchAttempt): Promise<TransportAnswer> {
    const headers: [string, string][] = [];
    const flat = request.headers;
    for (let index = 0; index + 1 < flat.length; index += 2) {
      const name = flat[index];
      const value = flat[index + 1];
      if (name !== undefined && value !== undefined) headers.push([name, value]);
    }
    const init: RequestInit = {
      method: 'POST',
      headers,
      body: request.body,
      redirect: 'manual',
      signal: attempt.signal,
    };
    if (this.#credentials !== undefined) init.credentials = this.#credentials;
    let response: Response;
    try {
      response = await (this.#fetch ?? globalThis.fetch)(this.#url, init);
    } catch (error) {
      throw attempt.failure(error);
    }
    attempt.phase = 'body';
    const body = await readBody(response, this.#maxResponseBytes, attempt);
    const retryAfterMs = retryAfterOf(
      response.status,
      { 'retry-after': response.headers.get('retry-after') ?? undefined },
      Date.now(),
    );
    return retryAfterMs === undefined
      ? { status: response.status, body }
      : { status: response.status, body, retryAfterMs };
  }
}

/** One attempt's clock and cancellation: one timer, one controller, the caller's signal followed. */
class FetchAttempt {
  readonly #controller = new AbortController();
  readonly #limitMs: number;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  phase: EgressPhase = 'headers';
  #timedOut = false;

  constructor(limitMs: number, callerSignal: AbortSignal | undefined) {
    this.#limitMs = limitMs;
    this.#callerSignal = callerSignal;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new EgressError(timeoutFailure(this.phase, this.#limitMs)));
    }, limitMs);
    callerSignal?.addEventListener('abort', this, { once: true });
  }

  /** The signal `fetch` and the body's reader are cancelled by. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    this.#controller.abort(this.#callerSignal?.reason);
  }

  /** What a failure in the current phase means: the attempt's own timeout, the caller's abort, or the error read. */
  failure(error: unknown): unknown {
    if (this.#timedOut) return new EgressError(timeoutFailure(this.phase, this.#limitMs));
    if (this.#callerSignal?.aborted === true) {
      return new EgressError(readEgressFailure(error, { phase: this.phase, callerAborted: true }));
    }
    if (this.phase === 'body') {
      return new EgressError(readEgressFailure(error, { phase: 'body', callerAborted: false }));
    }
    return readFetchFailure(error);
  }

  /** Stops the timer and the listening. */
  settle(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this);
  }
}

function tooLarge(detail: string): EgressError {
  return new EgressError({
    code: EgressErrorCode.ResponseTooLarge,
    phase: 'body',
    message: `the response is too large: ${detail}`,
  });
}

/** Reads the body as UTF-8 text, at most `max` bytes: past that the stream is cancelled. */
async function readBody(response: Response, max: number, attempt: FetchAttempt): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(`it declares ${declared} bytes, over the ${max} byte limit`);
  }
  let read;
  try {
    read = await readBytesWithin(response.body as ReadableStream<Uint8Array> | null, max);
  } catch (error) {
    throw attempt.failure(error);
  }
  if (!read.ok) throw tooLarge(`over the ${max} byte limit`);
  return decoder.decode(read.bytes);
}

const decoder = new TextDecoder();
