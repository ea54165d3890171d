import {
  currentEventContext,
  useEventContext,
  deadlineHeader,
  newEventId,
  writeJson,
  type ContractPayloadInput,
  type ContractResponse,
  type EventContract,
  type JsonObject,
  type RequestEvent,
} from '@events-protocol/core';
import type { Dispatcher } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventClientError, EventClientErrorCode, orThrow } from './client-error.js';
import { DeprecationWarnings } from './deprecation-warnings.js';
import type { EventTransport } from './event-transport.js';
import { HttpTransport } from './http-transport.js';
import { InProcessTransport, type InProcessEventProcessor } from './in-process-transport.js';
import { maxBodyExcerpt, readAnswer } from './read-answer.js';
import { isRetryable, resolveRetry, type RetryOption } from './retry-option.js';
import type { SendResult, SuccessResult, TypedSendResult } from './send-result.js';
import { activeTraceHeaders, clientTracer, startCallSpan, type ClientTracer } from './trace-context.js';
import { readTransportFailure, resultOfFailure } from './transport-failure.js';

/** The default total time of a call: 15 seconds. */
export const defaultTimeoutMs = 15_000;
/** The default connect and response timeouts of each attempt: 10 seconds. */
export const defaultConnectionTimeoutMs = 10_000;

/** A pino-compatible logger: retries at `debug`, deprecated events called at `warn` (once each). */
export interface ClientLogger {
  debug(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

/** How an {@link EventClient} is set up. */
export interface EventClientOptions {
  /** The events endpoint, e.g. `http://orders.internal:8080/events`. */
  url?: string;
  /** A transport instead of `url` (see {@link EventClient.inProcess}). */
  transport?: EventTransport;
  /** The total time of a call in ms, retries included; {@link defaultTimeoutMs} by default. */
  timeout?: number;
  /**
   * Per attempt: ms to connect and ms to wait for the answer. One number sets both; a pair sets
   * them apart. {@link defaultConnectionTimeoutMs} by default; the total `timeout` caps both.
   */
  connectionTimeouts?: number | { connectMs: number; responseMs: number };
  /** Headers sent with every call (`content-type` is always `application/json`). */
  headers?: Record<string, string>;
  /** The calling application's name, added to every event as `metadata.origin`. */
  origin?: string;
  /** Retries for timeouts and unreachable servers; off by default. */
  retry?: RetryOption;
  logger?: ClientLogger;
  /** An undici dispatcher to send through (not closed by the client). */
  dispatcher?: Dispatcher;
  /** Keep-alive sockets to the server; 128 by default. */
  connections?: number;
}

/** One event to send: everything but `name` has a default. */
export interface SendEventInit {
  name: string;
  /** 1 by default. */
  version?: number;
  /** `null` by default. */
  payload?: unknown;
  /** A new UUID by default; kept on every retry so the server can deduplicate. */
  id?: string;
  /** The flowId of the event being handled, if any, or a new UUID. */
  flowId?: string;
  identity?: JsonObject;
  auth?: JsonObject;
  metadata?: JsonObject;
  /** The total time of this call in ms, overriding the client's. */
  timeout?: number;
  /** Cancels the call; it then rejects with `EventClientError` code `ABORTED`. */
  signal?: AbortSignal;
  /** Retries of this call, overriding the client's. */
  retry?: RetryOption;
}

/** Options of a typed call: the event fields besides name, version and payload. */
export type SendOptions = Omit<SendEventInit, 'name' | 'version' | 'payload'>;

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new EventClientError(EventClientErrorCode.InvalidOptions, `${name} must be a positive number of ms`);
  }
  return value;
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
  readonly #retry: RetryOption;
  readonly #logger: ClientLogger | undefined;
  readonly #deprecations: DeprecationWarnings;
  readonly #tracing: ClientTracer | undefined = clientTracer();
  #closed = false;

  /** @throws {EventClientError} `INVALID_OPTIONS` for a missing or bad url or timeout. */
  constructor(options: EventClientOptions) {
    this.#timeoutMs = positive('timeout', options.timeout ?? defaultTimeoutMs);
    const timeouts = options.connectionTimeouts ?? defaultConnectionTimeoutMs;
    const connectMs = positive('connect timeout', typeof timeouts === 'number' ? timeouts : timeouts.connectMs);
    const responseMs = positive('response timeout', typeof timeouts === 'number' ? timeouts : timeouts.responseMs);
    if (options.transport !== undefined) {
      this.#transport = options.transport;
    } else {
      if (options.url === undefined || !/^https?:\/\//i.test(options.url)) {
        throw new EventClientError(EventClientErrorCode.InvalidOptions, 'url must be an http(s) URL');
      }
      this.#transport = new HttpTransport(options.url, {
        dispatcher: options.dispatcher,
        connections: options.connections,
        connectTimeoutMs: connectMs,
        responseTimeoutMs: responseMs,
      });
    }
    const headers: string[] = [];
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower !== 'content-type' && lower !== deadlineHeader) headers.push(name, value);
    }
    headers.push('content-type', 'application/json');
    this.#headers = headers;
    this.#origin = options.origin;
    this.#retry = options.retry ?? false;
    this.#logger = options.logger;
    this.#deprecations = new DeprecationWarnings(options.logger);
    resolveRetry(this.#retry); // a bad schedule fails here, not on the first call
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
  async sendEvent(init: SendEventInit): Promise<SendResult> {
    if (this.#closed) throw new EventClientError(EventClientErrorCode.Closed, 'the client is closed');
    const context = currentEventContext();
    const request: RequestEvent = {
      name: init.name,
      version: init.version ?? 1,
      id: init.id ?? newEventId(),
      flowId: init.flowId ?? context?.event.flowId ?? newEventId(),
      payload: init.payload ?? null,
      identity: init.identity ?? {},
      auth: init.auth ?? {},
      metadata: this.#origin === undefined ? (init.metadata ?? {}) : { origin: this.#origin, ...init.metadata },
    };
    const tracing = this.#tracing;
    const span = tracing === undefined ? undefined : startCallSpan(tracing, request);
    if (span === undefined) {
      const active = tracing === undefined ? undefined : activeTraceHeaders(tracing.api);
      return this.#call(init, request, context?.deadline, active);
    }
    try {
      return span.end(await this.#call(init, request, context?.deadline, span.headers));
    } catch (error) {
      span.fail(error);
      throw error;
    }
  }

  /** Sends a built request within its time, retrying as told, carrying the trace context given. */
  async #call(
    init: SendEventInit,
    request: RequestEvent,
    contextDeadline: number | undefined,
    traceHeaders: Record<string, string> | undefined,
  ): Promise<SendResult> {
    // The trace travels in the event (for any transport) and in the HTTP headers.
    if (traceHeaders !== undefined) request.metadata = { ...request.metadata, ...traceHeaders };
    let body: string;
    try {
      body = writeJson(request);
    } catch (error) {
      throw new EventClientError(
        EventClientErrorCode.InvalidEvent,
        `${init.name}: the event is not serialisable as JSON`,
        {
          cause: error,
        },
      );
    }
    const timeoutMs = positive('timeout', init.timeout ?? this.#timeoutMs);
    const started = Date.now();
    const deadline = Math.min(started + timeoutMs, contextDeadline ?? Infinity);
    const schedule = init.retry === undefined ? resolveRetry(this.#retry) : resolveRetry(init.retry);
    const signal = init.signal;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      const result =
        remaining <= 0
          ? ({ kind: 'timeout', timeoutMs, request, attempts: attempt - 1 } as const)
          : await this.#attempt(request, body, remaining, timeoutMs, attempt, signal, traceHeaders);
      if (remaining <= 0 || !isRetryable(result)) return result;
      const delay = schedule.delayAfter(attempt);
      if (delay === undefined || Date.now() + delay >= deadline) return result;
      this.#logger?.debug(
        { event: request.name, id: request.id, attempt, delayMs: delay, outcome: result.kind },
        'retrying event',
      );
      await this.#pause(delay, signal);
    }
  }

  /**
   * Sends one event of a contract: checks the payload against it first, and parses the success
   * payload with its response schema, so `payload` is typed without annotations.
   *
   * @example
   * const result = await client.send(getUser, { userId: '42' });
   * if (result.kind === 'success') result.payload.name; // string
   * @throws {EventClientError} `INVALID_PAYLOAD` when the payload fails the contract (nothing is sent).
   */
  async send<TContract extends EventContract>(
    contract: TContract,
    payload: ContractPayloadInput<TContract>,
    options: SendOptions = {},
  ): Promise<TypedSendResult<ContractResponse<TContract>>> {
    const checked = contract.payload.safeParse(payload);
    if (!checked.success) {
      throw new EventClientError(
        EventClientErrorCode.InvalidPayload,
        `${contract.name}: the payload does not match the contract: ${checked.error.message}`,
        { cause: checked.error },
      );
    }
    const result = await this.sendEvent({ ...options, name: contract.name, version: contract.version, payload });
    if (result.kind !== 'success') return result;
    const parsed = contract.response.safeParse(result.event.payload);
    if (parsed.success) return { ...result, payload: parsed.data as ContractResponse<TContract> };
    return {
      kind: 'failedDependency',
      reason: 'invalidResponse',
      body: writeJson(result.event.payload).slice(0, maxBodyExcerpt),
      cause: parsed.error,
      request: result.request,
      attempts: result.attempts,
    };
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

  async #attempt(
    request: RequestEvent,
    body: string,
    remaining: number,
    timeoutMs: number,
    attempt: number,
    signal: AbortSignal | undefined,
    traceHeaders: Record<string, string> | undefined,
  ): Promise<SendResult> {
    const headers = [...this.#headers, deadlineHeader, String(Math.floor(remaining))];
    if (traceHeaders !== undefined) for (const [name, value] of Object.entries(traceHeaders)) headers.push(name, value);
    try {
      const answer = await this.#transport.send(
        signal === undefined
          ? { body, headers, timeoutMs: remaining }
          : { body, headers, timeoutMs: remaining, signal },
      );
      const result = readAnswer(request, answer, attempt);
      if (
        (result.kind === 'success' || result.kind === 'error') &&
        result.event.metadata['deprecation'] !== undefined
      ) {
        this.#deprecations.warnOnce(request, result.event.metadata['deprecation']);
      }
      return result;
    } catch (error) {
      if (signal?.aborted === true) {
        throw new EventClientError(EventClientErrorCode.Aborted, `${request.name}: cancelled`, {
          cause: signal.reason,
        });
      }
      return resultOfFailure(readTransportFailure(error), request, timeoutMs, attempt);
    }
  }

  async #pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(delayMs, undefined, signal === undefined ? undefined : { signal });
    } catch (error) {
      throw new EventClientError(EventClientErrorCode.Aborted, 'cancelled while waiting to retry', { cause: error });
    }
  }
}
