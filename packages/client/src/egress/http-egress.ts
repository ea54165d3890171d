import { Agent, type buildConnector, type Dispatcher } from 'undici';
import { EgressError, EgressErrorCode } from './egress-error.js';
import { Exchange, type EgressResponse, type ExchangeOwner } from './egress-exchange.js';
import { ExchangeClock } from './exchange-clock.js';
import { isPositiveMs, readEgressTimeouts, type EgressTimeouts, type PhaseTimeouts } from './egress-timeouts.js';

/** The largest response body read by default: 1 MiB. */
export const defaultMaxResponseBytes = 1024 * 1024;
/** Keep-alive sockets per origin of the pool an egress makes: 128. */
export const defaultConnections = 128;

// undici's connect timer ticks coarsely (it fires up to half a second early or late), so the
// pool's own gives up this much after the egress's timer: ours decides, the pool's only frees a
// socket still connecting for a request that has already timed out.
const connectCleanupSlackMs = 1000;

/** How an {@link HttpEgress} sends. */
export interface HttpEgressOptions {
  /** Per request: one number for connect and response, or `{ connectMs, responseMs }`; 10 s each by default. */
  readonly timeouts?: EgressTimeouts | undefined;
  /** The largest response body read, in bytes; {@link defaultMaxResponseBytes} by default. */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Send through this undici dispatcher instead of a pool of the egress's own; it is not closed
   * by {@link HttpEgress.close}. Its connect timeout is its own; the egress's timer still ends
   * the connect phase on time.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /**
   * How the egress's own pool connects: undici connector options (the egress sets their
   * `timeout` to `connectMs` plus a second, so that its own precise timer decides and the pool's
   * only frees the socket), or a connector function (e.g. one that checks the address dialled;
   * give it a connect timeout of `connectMs` + 1 s likewise). Not allowed with `dispatcher`.
   */
  readonly connect?: buildConnector.BuildOptions | buildConnector.connector | undefined;
  /** Keep-alive sockets per origin of the egress's own pool; {@link defaultConnections} by default. */
  readonly connections?: number | undefined;
  /** The clock that `Retry-After` dates are read against, in ms since the epoch; `Date.now` by default. */
  readonly now?: (() => number) | undefined;
}

/** One request an {@link HttpEgress} sends. */
export interface EgressRequest {
  /** An http(s) URL. */
  readonly url: string | URL;
  /** `POST` by default. */
  readonly method?: string | undefined;
  /** Header names and values: an object, or names and values alternating. */
  readonly headers?: Readonly<Record<string, string>> | readonly string[] | undefined;
  readonly body?: string | Uint8Array | undefined;
  /** Cancels the request: it then rejects with `ABORTED`. Only attach one when needed: signals cost undici throughput. */
  readonly signal?: AbortSignal | undefined;
  /** This request's timeouts instead of the egress's. */
  readonly timeouts?: EgressTimeouts | undefined;
  /** A bound on the whole exchange in ms (a caller's deadline), on top of the phases' timeouts. */
  readonly totalMs?: number | undefined;
  /** This request's body limit instead of the egress's. */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Past the limit: `fail` (the default) aborts with `RESPONSE_TOO_LARGE`; `truncate` resolves
   * with the body's start and `truncated: true` (for callers that keep an excerpt).
   */
  readonly overflow?: 'fail' | 'truncate' | undefined;
}

function invalid(message: string): EgressError {
  return new EgressError({ code: EgressErrorCode.InvalidOptions, phase: 'request', message });
}

function checkedBytes(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isSafeInteger(value) && value > 0)) throw invalid(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * The one way our packages send HTTP: a keep-alive undici pool (or the caller's dispatcher),
 * precise timeouts per phase (connect, response headers, body), a bounded body, one failure
 * mapping ({@link EgressError}: code and phase) and `Retry-After` read on 429 and 503.
 *
 * @example
 * const egress = new HttpEgress({ timeouts: { connectMs: 1000, responseMs: 5000 } });
 * const response = await egress.send({ url: 'https://hooks.example/in', body: '{}', headers: { 'content-type': 'application/json' } });
 * if (response.status === 503) console.log('retry in', response.retryAfterMs ?? 1000, 'ms');
 * await egress.close();
 * @throws {EgressError} `INVALID_OPTIONS` from the constructor for bad timeouts, limits or `connect` with `dispatcher`.
 */
export class HttpEgress implements ExchangeOwner {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #timeouts: PhaseTimeouts;
  readonly #maxResponseBytes: number;
  readonly #now: () => number;
  /** @internal The one timer of this egress's exchanges. */
  readonly clock = new ExchangeClock();
  #inFlight = 0;
  #closed = false;
  /** The last URL sent to (its `href`), and its origin and path: URL's getters build new strings on every read. */
  #lastHref = '';
  #lastOrigin = '';
  #lastPath = '';

  constructor(options: HttpEgressOptions = {}) {
    this.#timeouts = readEgressTimeouts(options.timeouts);
    this.#maxResponseBytes = checkedBytes('maxResponseBytes', options.maxResponseBytes, defaultMaxResponseBytes);
    this.#now = options.now ?? Date.now;
    const connections = checkedBytes('connections', options.connections, defaultConnections);
    if (options.dispatcher !== undefined && options.connect !== undefined) {
      throw invalid('give either a dispatcher or connect options, not both: a dispatcher connects its own way');
    }
    this.#ownsDispatcher = options.dispatcher === undefined;
    const connect =
      typeof options.connect === 'function'
        ? options.connect
        : { ...options.connect, timeout: this.#timeouts.connectMs + connectCleanupSlackMs };
    this.#dispatcher = options.dispatcher ?? new Agent({ connections, connect });
  }

  /**
   * Sends one request and resolves with the response once its body is read; any status is a
   * response. Never waits past its timeouts.
   *
   * @throws {EgressError} with the code and phase of what failed: `UNREACHABLE`, `TIMEOUT`,
   * `RESPONSE_TOO_LARGE`, `RESPONSE_INTERRUPTED`, `ABORTED`, `CLOSED`, `INVALID_OPTIONS`.
   */
  send(request: EgressRequest): Promise<EgressResponse> {
    if (this.#closed) {
      return Promise.reject(
        new EgressError({ code: EgressErrorCode.Closed, phase: 'request', message: 'the egress is closed' }),
      );
    }
    let options: Dispatcher.DispatchOptions;
    let exchange: Exchange;
    try {
      const timeouts = request.timeouts === undefined ? this.#timeouts : readEgressTimeouts(request.timeouts);
      const totalMs = request.totalMs ?? Infinity;
      if (totalMs !== Infinity && !isPositiveMs(totalMs))
        throw invalid(`totalMs must be a positive number of ms, got ${String(totalMs)}`);
      const url = typeof request.url === 'string' ? parseUrl(request.url) : request.url;
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw invalid(`the URL must be http(s), got ${url.protocol}`);
      const href = url.href;
      if (href !== this.#lastHref) {
        this.#lastOrigin = url.origin;
        this.#lastPath = `${url.pathname}${url.search}`;
        this.#lastHref = href;
      }
      options = {
        origin: this.#lastOrigin,
        path: this.#lastPath,
        method: request.method ?? 'POST',
        headers: (request.headers ?? null) as NonNullable<Dispatcher.DispatchOptions['headers']>,
        body: request.body ?? null,
        // The egress's clock is the only timer: undici's tick at up to a second.
        headersTimeout: 0,
        bodyTimeout: 0,
      };
      exchange = new Exchange(
        {
          connectMs: timeouts.connectMs,
          responseMs: timeouts.responseMs,
          totalMs,
          maxResponseBytes: checkedBytes('maxResponseBytes', request.maxResponseBytes, this.#maxResponseBytes),
          truncate: request.overflow === 'truncate',
          now: this.#now,
        },
        request.signal,
        this,
      );
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : invalid(String(error)));
    }
    this.#inFlight++;
    exchange.start(this.#dispatcher, options);
    return exchange.promise;
  }

  /** @internal Counts requests in flight, so {@link close} knows whether any is left to finish. */
  exchangeSettled(): void {
    this.#inFlight--;
  }

  /**
   * Closes the egress's own pool (not a dispatcher it was given): requests in flight finish
   * first; with none, sockets still connecting for requests that timed out are dropped at once.
   * Later sends reject with `CLOSED`.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#ownsDispatcher) return;
    if (this.#inFlight === 0) await this.#dispatcher.destroy();
    else await this.#dispatcher.close();
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw new EgressError({
      code: EgressErrorCode.InvalidOptions,
      phase: 'request',
      message: `not a URL: ${text}`,
      cause: error,
    });
  }
}
