import {
  currentEventContext,
  useEventContext,
  deadlineHeader,
  type ContractPayloadInput,
  type ContractResponse,
  type EventContract,
  type RequestEvent,
  type RetrySchedule,
  validateSchema,
} from '@events-protocol/core';
import { attemptOutcome, type AttemptEnd } from './attempt-outcome.js';
import { buildRequest, serialiseRequest } from './build-request.js';
import { EventClientError, EventClientErrorCode, orThrow } from './client-error.js';
import {
  positiveMs,
  readClientSettings,
  type ClientLogger,
  type EventClientOptions,
  type SendEventInit,
  type SendOptions,
} from './client-options.js';
import { DeprecationWarnings } from './deprecation-warnings.js';
import type { EventTransport, TransportAnswer, TransportRequest } from './event-transport.js';
import { defaultHttpTransport } from './default-transport.js';
import { InProcessTransport, type InProcessEventProcessor } from './in-process-transport.js';
import { pause } from './pause.js';
import { isRetryable, resolveRetry, retryDelay } from './retry-option.js';
import { typedErrorResultOf, type SendResult, type SuccessResult, type TypedSendResult } from './send-result.js';
import { activeTraceHeaders, clientTracer, startCallSpan, type CallSpan, type ClientTracer } from './trace-context.js';

/** One call being made: what each of its attempts needs. */
interface Call {
  readonly request: RequestEvent;
  readonly body: string;
  readonly timeoutMs: number;
  /** When the call's time is up, in ms since the epoch. */
  readonly deadline: number;
  readonly schedule: RetrySchedule;
  readonly signal: AbortSignal | undefined;
  readonly traceHeaders: Record<string, string> | undefined;
}

/**
 * Calls events-protocol servers: one keep-alive pool, timeouts, opt-in retries that keep the
 * event's id, and results to switch on instead of exceptions.
 *
 * @example
 * const client = new EventClient({ url: 'http://localhost:8080/events', origin: 'checkout' });
 * const result = await client.sendEvent({ name: 'user:get', payload: { userId: '42' } });
 * if (result.kind === 'success') console.log(result.event.payload);
 * await client.close();
 */
export class EventClient {
  readonly #transport: EventTransport;
  readonly #timeoutMs: number;
  readonly #headers: readonly string[];
  readonly #origin: string | undefined;
  /** The client's retry schedule, resolved once. */
  readonly #retry: RetrySchedule;
  readonly #logger: ClientLogger | undefined;
  readonly #deprecations: DeprecationWarnings;
  readonly #tracing: ClientTracer | undefined = clientTracer();
  #closed = false;

  /** @throws {EventClientError} `INVALID_OPTIONS` for a missing or bad url or timeout. */
  constructor(options: EventClientOptions) {
    const settings = readClientSettings(options);
    if (options.transport !== undefined) {
      this.#transport = options.transport;
    } else {
      if (options.url === undefined || !/^https?:\/\//i.test(options.url)) {
        throw new EventClientError(EventClientErrorCode.InvalidOptions, 'url must be an http(s) URL');
      }
      this.#transport = defaultHttpTransport(options.url, {
        dispatcher: options.dispatcher,
        connections: options.connections,
        connectMs: settings.connectMs,
        responseMs: settings.responseMs,
      });
    }
    this.#timeoutMs = settings.timeoutMs;
    this.#headers = settings.headers;
    this.#origin = settings.origin;
    this.#retry = resolveRetry(settings.retry);
    this.#logger = options.logger;
    this.#deprecations = new DeprecationWarnings(options.logger);
    // Calls made inside handlers carry the handler's flowId and deadline: processors must enter the context.
    useEventContext();
  }

  /**
   * A client that calls a processor in this process, through JSON but without sockets: for tests
   * of whole services.
   */
  static inProcess(processor: InProcessEventProcessor, options: Omit<EventClientOptions, 'url' | 'transport'> = {}) {
    return new EventClient({ ...options, transport: new InProcessTransport(processor) });
  }

  /**
   * Sends one event and resolves to its outcome: `success`, `error`, `timeout` or
   * `failedDependency`. Never rejects for those.
   *
   * @throws {EventClientError} `ABORTED` when the signal cancels the call, `INVALID_EVENT` when the
   * event cannot be serialised, `CLOSED` after {@link close}.
   */
  sendEvent(init: SendEventInit): Promise<SendResult> {
    // Not an async function: an untraced call returns #call's promise itself, one promise and
    // its ticks fewer per call. Whatever throws here still rejects, as from an async function.
    try {
      if (this.#closed) throw new EventClientError(EventClientErrorCode.Closed, 'the client is closed');
      const context = currentEventContext();
      const request = buildRequest(init, this.#origin, context?.event.flowId);
      const tracing = this.#tracing;
      const span = tracing === undefined ? undefined : startCallSpan(tracing, request);
      if (span === undefined) {
        const active = tracing === undefined ? undefined : activeTraceHeaders(tracing.api);
        return this.#call(init, request, context?.deadline, active);
      }
      return this.#traced(span, init, request, context?.deadline);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what was thrown, as an async function rejects with it
      return Promise.reject(error);
    }
  }

  /** A call with its span, which records the outcome or what the call threw. */
  async #traced(
    span: CallSpan,
    init: SendEventInit,
    request: RequestEvent,
    contextDeadline: number | undefined,
  ): Promise<SendResult> {
    try {
      return span.end(await this.#call(init, request, contextDeadline, span.headers));
    } catch (error) {
      span.fail(error);
      throw error;
    }
  }

  /**
   * Sends one event of a contract: checks the payload against it first, parses the success payload
   * with its response schema, and the parameters of the errors it declares with theirs, so
   * `payload` and `parameters` are typed without annotations.
   *
   * @example
   * const result = await client.send(getUser, { userId: '42' });
   * if (result.kind === 'success') result.payload.name; // string
   * if (result.kind === 'error' && result.declared && result.errorType === 'notFound') result.parameters.userId;
   * @throws {EventClientError} `INVALID_PAYLOAD` when the payload fails the contract (nothing is sent).
   */
  async send<TContract extends EventContract>(
    contract: TContract,
    payload: ContractPayloadInput<TContract>,
    options: SendOptions = {},
  ): Promise<TypedSendResult<ContractResponse<TContract>, TContract['errors']>> {
    const checked = await validateSchema(contract.payload, payload);
    if (!checked.ok) {
      const problems = checked.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      throw new EventClientError(
        EventClientErrorCode.InvalidPayload,
        `${contract.name}: the payload does not match the contract: ${problems.join('; ')}`,
        { cause: checked.issues },
      );
    }
    const result = await this.sendEvent({ ...options, name: contract.name, version: contract.version, payload });
    if (result.kind === 'error') return typedErrorResultOf(contract.errors as TContract['errors'], result);
    if (result.kind !== 'success') return result;
    const parsed = await validateSchema(contract.response, result.event.payload);
    if (parsed.ok) return { ...result, payload: parsed.value as ContractResponse<TContract> };
    return attemptOutcome(
      { kind: 'mismatched', success: result, cause: parsed.issues },
      { request: result.request, attempts: result.attempts, timeoutMs: this.#timeoutMs, signal: options.signal },
    );
  }

  /** Sends one event and returns its success, or throws the failure (see `orThrow`). */
  async sendEventOrThrow(init: SendEventInit): Promise<SuccessResult> {
    return orThrow(await this.sendEvent(init));
  }

  /** Closes the connection pool; calls after this reject with `CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#transport.close();
  }

  /**
   * Sends a built request within its time, retrying as told, carrying the trace context given.
   * Not an async function, nor is an attempt: a call answered at the first attempt costs the
   * transport's promise and one reaction to it, and only a retry goes through an async function.
   */
  #call(
    init: SendEventInit,
    request: RequestEvent,
    contextDeadline: number | undefined,
    traceHeaders: Record<string, string> | undefined,
  ): Promise<SendResult> {
    // The trace travels in the event (for any transport) and in the HTTP headers.
    if (traceHeaders !== undefined) request.metadata = { ...request.metadata, ...traceHeaders };
    const body = serialiseRequest(request);
    const timeoutMs = init.timeout === undefined ? this.#timeoutMs : positiveMs('timeout', init.timeout);
    const started = Date.now();
    const call: Call = {
      request,
      body,
      timeoutMs,
      deadline: Math.min(started + timeoutMs, contextDeadline ?? Infinity),
      schedule: init.retry === undefined ? this.#retry : resolveRetry(init.retry),
      signal: init.signal,
      traceHeaders,
    };
    // The first attempt starts at once: the clock read for the deadline serves it too.
    return this.#attemptWithin(call, call.deadline - started, 1);
  }

  /** Attempt number `attempt` with `remaining` ms of the call left, or the call's timeout when none are. */
  #attemptWithin(call: Call, remaining: number, attempt: number): Promise<SendResult> {
    if (remaining <= 0) {
      const expired = { request: call.request, attempts: attempt - 1, timeoutMs: call.timeoutMs, signal: call.signal };
      return Promise.resolve(attemptOutcome({ kind: 'expired' }, expired));
    }
    const headers = [...this.#headers, deadlineHeader, String(Math.floor(remaining))];
    if (call.traceHeaders !== undefined) {
      for (const [name, value] of Object.entries(call.traceHeaders)) headers.push(name, value);
    }
    const sent: TransportRequest =
      call.signal === undefined
        ? { body: call.body, headers, timeoutMs: remaining }
        : { body: call.body, headers, timeoutMs: remaining, signal: call.signal };
    let sending: PromiseLike<TransportAnswer>;
    try {
      sending = this.#transport.send(sent);
    } catch (error) {
      // A transport that throws instead of rejecting fails the attempt the same way.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the transport threw, read below
      sending = Promise.reject(error);
    }
    return Promise.resolve(sending).then(
      (answer) => this.#afterAttempt(call, attempt, { kind: 'answered', answer }),
      (error: unknown) => this.#afterAttempt(call, attempt, { kind: 'threw', error }),
    );
  }

  /**
   * Reads how an attempt ended through {@link attemptOutcome} (which throws for a cancelled
   * call), and retries what may succeed another time while the schedule and the deadline allow.
   */
  #afterAttempt(call: Call, attempt: number, end: AttemptEnd): SendResult | Promise<SendResult> {
    const result = attemptOutcome(end, {
      request: call.request,
      attempts: attempt,
      timeoutMs: call.timeoutMs,
      signal: call.signal,
    });
    if ((result.kind === 'success' || result.kind === 'error') && result.event.metadata['deprecation'] !== undefined) {
      this.#deprecations.warnOnce(call.request, result.event.metadata['deprecation']);
    }
    return isRetryable(result) ? this.#retryAfter(call, attempt, result) : result;
  }

  /** Waits as the schedule says after a retryable `result`, then makes the next attempt; `result` when none is left. */
  async #retryAfter(call: Call, attempt: number, result: SendResult): Promise<SendResult> {
    const delay = retryDelay(call.schedule, attempt, result);
    if (delay === undefined || Date.now() + delay >= call.deadline) return result;
    this.#logger?.debug(
      { event: call.request.name, id: call.request.id, attempt, delayMs: delay, outcome: result.kind },
      'retrying event',
    );
    await pause(delay, call.signal);
    return this.#attemptWithin(call, call.deadline - Date.now(), attempt + 1);
  }
}
