import type { Dispatcher } from 'undici';
import { EgressError, EgressErrorCode, type EgressFailure, type EgressPhase } from './egress-error.js';
import { readEgressFailure, timeoutFailure } from './egress-failure.js';
import { retryAfterOf } from './retry-after.js';

/** What came back for a request: status, headers and the body read up to the limit. */
export interface EgressResponse {
  readonly status: number;
  /** Header names in lower case; a repeated header is an array. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body's bytes (at most the limit). */
  readonly body: Uint8Array;
  /** The body decoded as UTF-8. */
  readonly text: string;
  /** The body was longer than the limit and the request asked for `overflow: 'truncate'`: `body` is its start. */
  readonly truncated: boolean;
  /** On a 429 or 503, the wait its `Retry-After` asks for, in ms (a date is read against the egress's clock). */
  readonly retryAfterMs?: number;
  /** From sending to the end of the body, in ms. */
  readonly durationMs: number;
}

/** The limits of one exchange, already validated. */
export interface ExchangeLimits {
  readonly connectMs: number;
  readonly responseMs: number;
  /** The whole exchange ends by then (ms from its start); `Infinity` for no such bound. */
  readonly totalMs: number;
  readonly maxResponseBytes: number;
  readonly truncate: boolean;
  readonly now: () => number;
}

/** Told when an exchange settles (for the egress's count of requests in flight). */
export interface ExchangeOwner {
  exchangeSettled(): void;
}

function expire(exchange: Exchange): void {
  exchange.expire();
}

/**
 * One request through an undici dispatcher, as a dispatch handler: one timer bounds each phase
 * precisely (undici's own timers tick at up to a second and are turned off), the body is kept in
 * memory up to the limit, and every failure becomes an {@link EgressError} naming its phase.
 * The caller's signal, when there is one, is listened to with this object itself (no closure).
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly promise: Promise<EgressResponse>;
  readonly #limits: ExchangeLimits;
  readonly #signal: AbortSignal | undefined;
  readonly #owner: ExchangeOwner;
  readonly #started = performance.now();
  #resolve!: (response: EgressResponse) => void;
  #reject!: (error: EgressError) => void;
  #phase: EgressPhase = 'connect';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerMs = 0;
  #limitMs = 0;
  #controller: Dispatcher.DispatchController | undefined;
  #error: EgressError | undefined;
  #settled = false;
  #status = 0;
  #headers: Record<string, string | string[] | undefined> = {};
  readonly #chunks: Buffer[] = [];
  #size = 0;

  constructor(limits: ExchangeLimits, signal: AbortSignal | undefined, owner: ExchangeOwner) {
    this.#limits = limits;
    this.#signal = signal;
    this.#owner = owner;
    this.promise = new Promise<EgressResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Dispatches the request and starts the connect phase's clock. */
  start(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): void {
    const signal = this.#signal;
    if (signal?.aborted === true) {
      this.#fail(aborted('request', signal));
      return;
    }
    const { connectMs, totalMs } = this.#limits;
    this.#limitMs = Math.min(connectMs, totalMs);
    this.#timerMs = this.#limitMs;
    this.#timer = setTimeout(expire, this.#timerMs, this);
    signal?.addEventListener('abort', this, { once: true });
    try {
      dispatcher.dispatch(options, this);
    } catch (error) {
      this.#fail(readEgressFailure(error, { phase: 'request', callerAborted: false }));
    }
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    if (this.#signal !== undefined) this.#fail(aborted(this.#phase, this.#signal));
  }

  /** The current phase outlived its limit. */
  expire(): void {
    this.#fail(timeoutFailure(this.#phase, this.#limitMs));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#settled) {
      controller.abort(this.#error ?? new Error('settled'));
      return;
    }
    this.#controller = controller;
    this.#phase = 'headers';
    const { responseMs, totalMs } = this.#limits;
    const left = totalMs - (performance.now() - this.#started);
    const delay = Math.max(0, Math.min(responseMs, left));
    this.#limitMs = responseMs <= left ? responseMs : totalMs;
    if (delay === this.#timerMs) this.#timer?.refresh();
    else {
      clearTimeout(this.#timer);
      this.#timerMs = delay;
      this.#timer = setTimeout(expire, delay, this);
    }
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (this.#settled) return;
    this.#phase = 'body';
    this.#status = statusCode;
    this.#headers = headers;
    const declared = Number(headers['content-length']);
    const max = this.#limits.maxResponseBytes;
    if (declared > max && !this.#limits.truncate) {
      this.#fail(tooLarge(`it declares ${declared} bytes, over the ${max} byte limit`));
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    const max = this.#limits.maxResponseBytes;
    if (this.#size + chunk.length <= max) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
      return;
    }
    if (!this.#limits.truncate) {
      this.#fail(tooLarge(`over the ${max} byte limit`));
      return;
    }
    this.#chunks.push(chunk.subarray(0, max - this.#size));
    this.#size = max;
    this.#finish(true);
    controller.abort(new Error('the response was read up to its limit'));
  }

  onResponseEnd(): void {
    if (!this.#settled) this.#finish(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#settled) return;
    this.#fail(readEgressFailure(error, { phase: this.#phase, callerAborted: this.#signal?.aborted === true }));
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this);
    this.#owner.exchangeSettled();
  }

  #finish(truncated: boolean): void {
    this.#settle();
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    const retryAfterMs = retryAfterOf(this.#status, this.#headers, this.#limits.now());
    const response: EgressResponse = {
      status: this.#status,
      headers: this.#headers,
      body,
      text: body.toString('utf8'),
      truncated,
      durationMs: performance.now() - this.#started,
    };
    this.#resolve(retryAfterMs === undefined ? response : { ...response, retryAfterMs });
  }

  #fail(failure: EgressFailure): void {
    if (this.#settled) return;
    this.#settle();
    const error = new EgressError(failure);
    this.#error = error;
    this.#reject(error);
    // Before the request started, undici calls onRequestStart later, which aborts it then.
    if (this.#controller !== undefined && !this.#controller.aborted) this.#controller.abort(error);
  }
}

function aborted(phase: EgressPhase, signal: AbortSignal): EgressFailure {
  return {
    code: EgressErrorCode.Aborted,
    phase,
    message: `cancelled by the caller in the ${phase} phase`,
    cause: signal.reason,
  };
}

function tooLarge(detail: string): EgressFailure {
  return { code: EgressErrorCode.ResponseTooLarge, phase: 'body', message: `the response is too large: ${detail}` };
}
