import type { Dispatcher } from 'undici';
import { EgressError, EgressErrorCode, type EgressFailure, type EgressPhase } from './egress-error.js';
import { readEgressFailure, timeoutFailure } from './egress-failure.js';
import type { ExchangeClock, TimedExchange } from './exchange-clock.js';
import { retryAfterOf, retryAfterStatuses } from './retry-after.js';

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

/** The egress an exchange belongs to: its clock, and what it is told when the exchange settles. */
export interface ExchangeOwner {
  /** The timer of the egress's exchanges. */
  readonly clock: ExchangeClock;
  /** Counts requests in flight. */
  exchangeSettled(): void;
}

/**
 * One request through an undici dispatcher, as a dispatch handler: each phase has a precise
 * deadline, kept by the egress's one {@link ExchangeClock} (undici's own timers tick at up to a
 * second and are turned off), the body is kept in memory up to the limit, and every failure
 * becomes an {@link EgressError} naming its phase. The caller's signal, when there is one, is
 * listened to with this object itself (no closure).
 */
export class Exchange implements Dispatcher.DispatchHandler, TimedExchange {
  readonly promise: Promise<EgressResponse>;
  /** @internal Where the egress's clock keeps this exchange. */
  clockSlot = -1;
  readonly #limits: ExchangeLimits;
  readonly #signal: AbortSignal | undefined;
  readonly #owner: ExchangeOwner;
  readonly #started = performance.now();
  #resolve!: (response: EgressResponse) => void;
  #reject!: (error: EgressError) => void;
  #phase: EgressPhase = 'connect';
  #deadline = Infinity;
  /** The limit the current deadline keeps, in ms (for the timeout's message). */
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

  /** When the current phase must end, in `performance.now()` ms. */
  get deadline(): number {
    return this.#deadline;
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
    this.#deadline = this.#started + this.#limitMs;
    this.#owner.clock.watch(this);
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

  /** The current phase outlived its limit (told by the clock). */
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
    const now = performance.now();
    if (responseMs <= totalMs - (now - this.#started)) {
      this.#limitMs = responseMs;
      this.#deadline = now + responseMs;
    } else {
      this.#limitMs = totalMs;
      this.#deadline = this.#started + totalMs;
    }
    this.#owner.clock.moved(this);
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
    this.#owner.clock.unwatch(this);
    this.#signal?.removeEventListener('abort', this);
    this.#owner.exchangeSettled();
  }

  #finish(truncated: boolean): void {
    this.#settle();
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    // The clock is read only for the statuses whose Retry-After counts.
    const retryAfterMs = retryAfterStatuses.has(this.#status)
      ? retryAfterOf(this.#status, this.#headers, this.#limits.now())
      : undefined;
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
