import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  defaultMaxJsonDepth,
  readJsonBody,
  readMetadataDeadline,
  readResponseOutcome,
  readRequestEvent,
  isEventContextInUse,
  runInEventContext,
  writeJson,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import { answerForThrown } from './answer-for-thrown.js';
import { silentLogger, type EventLogger } from './event-logger.js';
import type { EventRegistry } from './event-registry.js';
import type { HandlerRegistration } from './handler-registration.js';
import { EventRun } from './event-run.js';
import { answerForResult, invalidPayloadAnswer, outOfTimeAnswer, withDeprecationNotice } from './handler-answers.js';
import type { EventMetrics } from './event-metrics.js';
import { eventTracer, runInSpan, startEventSpan } from './event-tracing.js';
import type { TraceCarrier } from './trace-carrier.js';
import { runMiddleware, type EventMiddleware } from './middleware.js';
import { answerOnce, resolveReplayOptions, type ReplayOptions, type ResolvedReplayOptions } from './replay-once.js';
import { ServerError, ServerErrorCode } from './server-error.js';

/** The default time a handler may run before it is answered `HANDLER_TIMEOUT`: 10 seconds. */
export const defaultHandlerTimeoutMs = 10_000;

/** The default number of events a processor handles at once before answering `OVERLOADED`: 1,000. */
export const defaultMaxInFlight = 1000;

/** How an {@link EventProcessor} behaves. */
export interface EventProcessorOptions {
  /** A pino-compatible logger; silent by default. `auth` is never logged. */
  logger?: EventLogger;
  /** How long a handler may run, in ms; {@link defaultHandlerTimeoutMs} by default. Handlers may override it. */
  handlerTimeoutMs?: number;
  /**
   * How many events may be in their handlers at once; {@link defaultMaxInFlight} by default. Past
   * it, events are answered `<name>:error` with code `OVERLOADED` at once, without running the
   * handler, so a flood cannot exhaust memory. Callers may retry later.
   */
  maxInFlight?: number;
  /** Require all eight fields of the event (default: lenient, see PROTOCOL.md). */
  strict?: boolean;
  /** Counts and times every answered event by name, version and outcome (e.g. {@link PrometheusEventMetrics}). */
  metrics?: EventMetrics;
  /**
   * The deepest JSON nesting read from a body (512 by default): deeper bodies are answered
   * `badProtocol` before anything walks them.
   */
  maxJsonDepth?: number;
  /** Functions around every handled event, outermost first. */
  middleware?: readonly EventMiddleware[];
  /**
   * Idempotent replay (off by default): a repeated event id (same name and version) within the
   * retention gets the stored answer instead of a second run, and concurrent duplicates wait for
   * the first. See {@link ReplayOptions}.
   */
  replay?: ReplayOptions;
  /**
   * Run handlers inside the event's flow context, so events they send carry its `flowId` and
   * deadline (default `true`). The context is entered only once something in the process reads it
   * (an `EventClient` or a publisher exists, see `useEventContext`): until then it costs nothing.
   * Turn off only when handlers never call other services.
   */
  flowContext?: boolean;
}

/** What the transport knows about one event besides its body. */
export interface ProcessEventOptions {
  /**
   * When the caller stops waiting (ms since the epoch), e.g. from the `x-events-deadline-ms`
   * header. Without it, an absolute `metadata.deadline` of the event is used when present. An
   * event past its deadline is answered `DEADLINE_EXCEEDED` without running the handler.
   */
  deadline?: number;
  /**
   * Where the caller's trace context is (the HTTP request's headers); the event's `metadata` is
   * read when it has no `traceparent`.
   */
  traceCarrier?: TraceCarrier;
}

/** The adapters' way in; not part of the public API. */
export const answerAsJson = Symbol('answerAsJson');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown), { cause: thrown });
}

function positiveOption(name: string, value: number): number {
  if (!(value > 0)) {
    throw new ServerError(ServerErrorCode.InvalidOptions, `${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/**
 * Turns request events into response events: parses, validates, routes by name and version, runs
 * the handler within its time and names the outcome exactly as the protocol does. Knows nothing of
 * HTTP.
 *
 * @example
 * const processor = new EventProcessor(registry, { handlerTimeoutMs: 5000 });
 * const answer = await processor.processEvent('{"name":"user:get","version":1,…}');
 */
export class EventProcessor {
  readonly registry: EventRegistry;
  readonly #logger: EventLogger;
  readonly #handlerTimeoutMs: number;
  readonly #maxInFlight: number;
  readonly #strict: boolean;
  readonly #jsonOptions: { maxDepth: number };
  readonly #middleware: readonly EventMiddleware[];
  readonly #flowContext: boolean;
  readonly #tracer = eventTracer();
  readonly #metrics: EventMetrics | undefined;
  readonly #replay: ResolvedReplayOptions | undefined;
  #inFlight = 0;

  /** @throws {ServerError} `INVALID_OPTIONS` for a non-positive handler timeout or in-flight limit. */
  constructor(registry: EventRegistry, options: EventProcessorOptions = {}) {
    this.registry = registry;
    this.#handlerTimeoutMs = positiveOption('handlerTimeoutMs', options.handlerTimeoutMs ?? defaultHandlerTimeoutMs);
    this.#maxInFlight = positiveOption('maxInFlight', options.maxInFlight ?? defaultMaxInFlight);
    this.#logger = options.logger ?? silentLogger;
    this.#strict = options.strict ?? false;
    this.#jsonOptions = { maxDepth: positiveOption('maxJsonDepth', options.maxJsonDepth ?? defaultMaxJsonDepth) };
    this.#middleware = [...(options.middleware ?? [])];
    this.#flowContext = options.flowContext ?? true;
    this.#metrics = options.metrics;
    this.#replay =
      options.replay === undefined ? undefined : resolveReplayOptions(options.replay, this.#handlerTimeoutMs);
  }

  /** How many events are in their handlers now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Answers one request. `input` is a raw body (string or bytes, read as UTF-8) or an already
   * parsed value. Always resolves to a response event; never rejects.
   */
  processEvent(input: unknown, options?: ProcessEventOptions): Promise<ResponseEvent> {
    const answer = this.#process(input, options);
    return isThenable(answer) ? answer : Promise.resolve(answer);
  }

  /**
   * Answers one request as JSON text, ready to write: like {@link processEvent}, and an answer
   * that JSON cannot hold (a cycle in the handler's result) becomes `<name>:error`.
   */
  processEventToJson(input: unknown, options?: ProcessEventOptions): Promise<string> {
    const text = this[answerAsJson](input, options);
    return typeof text === 'string' ? Promise.resolve(text) : text;
  }

  /** @internal For the adapters: {@link processEventToJson}, synchronous when the handler is. */
  [answerAsJson](input: unknown, options: ProcessEventOptions | undefined): string | Promise<string> {
    const answer = this.#process(input, options);
    return isThenable(answer) ? answer.then((settled) => this.#toJson(settled)) : this.#toJson(answer);
  }

  // Synchronous from parsing to the answer when the handler is: no promise is made per event that
  // does not need one (each costs more while the flow context's async hooks are on).
  #process(input: unknown, options: ProcessEventOptions | undefined): ResponseEvent | Promise<ResponseEvent> {
    const started = this.#metrics !== undefined || this.#logger.isLevelEnabled('info') ? performance.now() : 0;
    let value = input;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      try {
        value = readJsonBody(input, this.#jsonOptions);
      } catch {
        return this.#logged(EventBuilder.badProtocol({}), undefined, started);
      }
    }
    const read = readRequestEvent(value, { strict: this.#strict });
    if (!read.ok) return this.#logged(EventBuilder.badProtocol(read), undefined, started);
    const event = read.event;
    const span = startEventSpan(this.#tracer, event, options?.traceCarrier);
    const deadline = options?.deadline;
    const answer =
      span === undefined ? this.#answer(event, deadline) : runInSpan(span, () => this.#answer(event, deadline));
    if (!isThenable(answer)) return this.#logged(span === undefined ? answer : span.end(answer), event, started);
    return answer.then((settled) => this.#logged(span === undefined ? settled : span.end(settled), event, started));
  }

  /** Routes a read event and answers it: not found, replayed, or run; deprecations noted. */
  #answer(event: RequestEvent, callerDeadline: number | undefined): ResponseEvent | Promise<ResponseEvent> {
    const registration = this.registry.find(event.name, event.version);
    if (registration === undefined) return EventBuilder.eventNotFound(event);
    const deadline = callerDeadline ?? readMetadataDeadline(event.metadata);
    const answer =
      this.#replay === undefined
        ? this.#run(registration, event, deadline)
        : answerOnce(this.#replay, event, this.#logger, () => this.#run(registration, event, deadline));
    const deprecated = registration.deprecated;
    if (deprecated === undefined) return answer;
    return isThenable(answer)
      ? answer.then((settled) => withDeprecationNotice(settled, deprecated))
      : withDeprecationNotice(answer, deprecated);
  }

  /** Runs an event's middleware and handler within its time and the in-flight limit. Never throws. */
  #run(
    registration: HandlerRegistration,
    event: RequestEvent,
    deadline: number | undefined,
  ): ResponseEvent | Promise<ResponseEvent> {
    const now = Date.now();
    if (deadline !== undefined && deadline <= now) return outOfTimeAnswer(event, 'deadline', 0);
    if (this.#inFlight >= this.#maxInFlight) {
      this.#logger.warn({ event: event.name, id: event.id, inFlight: this.#inFlight }, 'overloaded: event refused');
      const overloaded = { code: EventMessageCode.Overloaded, parameters: { maxInFlight: this.#maxInFlight } };
      return EventBuilder.errorFor(event, EventErrorType.Error, overloaded);
    }
    const timeoutMs = registration.timeoutMs ?? this.#handlerTimeoutMs;
    const run = new EventRun(this.#logger, registration, Math.min(now + timeoutMs, deadline ?? Infinity));
    const cause = deadline !== undefined && deadline < now + timeoutMs ? 'deadline' : 'timeout';

    this.#inFlight++;
    let answer: ResponseEvent | Promise<ResponseEvent>;
    try {
      answer =
        this.#flowContext && isEventContextInUse()
          ? runInEventContext({ event, deadline: run.deadline }, () => this.#handle(run, event, cause, timeoutMs))
          : this.#handle(run, event, cause, timeoutMs);
    } catch (thrown) {
      this.#inFlight--;
      return answerForThrown(event, thrown, this.#logger);
    }
    if (!isThenable(answer)) {
      this.#inFlight--;
      return answer;
    }
    return answer.then(
      (settled) => {
        this.#inFlight--;
        return settled;
      },
      (thrown: unknown) => {
        this.#inFlight--;
        return answerForThrown(event, thrown, this.#logger);
      },
    );
  }

  #handle(
    run: EventRun,
    event: RequestEvent,
    cause: 'timeout' | 'deadline',
    timeoutMs: number,
  ): ResponseEvent | Promise<ResponseEvent> {
    if (this.#middleware.length === 0) return this.#validateAndRun(run, event, cause, timeoutMs);
    return runMiddleware(this.#middleware, 0, event, run, async () =>
      this.#validateAndRun(run, event, cause, timeoutMs),
    );
  }

  #validateAndRun(
    run: EventRun,
    event: RequestEvent,
    cause: 'timeout' | 'deadline',
    timeoutMs: number,
  ): ResponseEvent | Promise<ResponseEvent> {
    const registration = run.registration;
    if (registration.payload !== undefined) {
      const parsed = registration.payload.safeParse(event.payload);
      if (!parsed.success) return invalidPayloadAnswer(event, parsed.error);
      // The event is this processor's own copy (read by readRequestEvent): no need to copy it again.
      event.payload = parsed.data;
    }
    const result = registration.handle(event, run);
    if (!isThenable(result)) return answerForResult(registration, event, result, this.#logger);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.#logger.warn(
            { event: event.name, version: event.version, id: event.id, flowId: event.flowId, timeoutMs, cause },
            cause === 'timeout' ? 'handler timed out' : 'deadline passed while the handler ran',
          );
          run.abort(new Error(cause === 'timeout' ? `handler timed out after ${timeoutMs} ms` : 'deadline exceeded'));
          resolve(outOfTimeAnswer(event, cause, timeoutMs));
        },
        Math.max(0, run.deadline - Date.now()),
      );
      result.then(
        (value: unknown) => {
          clearTimeout(timer);
          try {
            resolve(answerForResult(registration, event, value, this.#logger));
          } catch (error) {
            reject(asError(error));
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(asError(error));
        },
      );
    });
  }

  #toJson(answer: ResponseEvent): string {
    try {
      return writeJson(answer);
    } catch (error) {
      const requestName = answer.name.slice(0, Math.max(0, answer.name.lastIndexOf(':'))) || answer.name;
      this.#logger.error(
        { err: error, event: requestName, id: answer.id, flowId: answer.flowId },
        'response is not serialisable as JSON',
      );
      const request = { name: requestName, version: answer.version, id: answer.id, flowId: answer.flowId };
      return writeJson(EventBuilder.errorFor(request, EventErrorType.Error, { code: EventMessageCode.UnhandledError }));
    }
  }

  #logged(answer: ResponseEvent, event: RequestEvent | undefined, started: number): ResponseEvent {
    if (started === 0) return answer;
    const durationMs = performance.now() - started;
    if (this.#metrics !== undefined) {
      const outcome = readResponseOutcome(answer.name);
      this.#metrics.recordEvent({
        name: event?.name,
        version: event?.version,
        outcome: outcome.kind === 'error' ? outcome.errorType : outcome.kind,
        durationMs,
      });
    }
    if (this.#logger.isLevelEnabled('info')) {
      this.#logger.info(
        {
          event: event?.name,
          version: event?.version,
          id: answer.id,
          flowId: answer.flowId,
          outcome: answer.name,
          durationMs: Math.round(durationMs * 1000) / 1000,
        },
        'event processed',
      );
    }
    return answer;
  }
}
