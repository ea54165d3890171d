import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  readJsonBody,
  readRequestEvent,
  readResponseOutcome,
  runInEventContext,
  writeJson,
  type RequestEvent,
  type ResponseEvent,
} from '@events-protocol/core';
import { answerForThrown } from './answer-for-thrown.js';
import { silentLogger, type EventLogger } from './event-logger.js';
import type { HandlerContext } from './event-handler.js';
import type { EventRegistry, HandlerRegistration } from './event-registry.js';
import { runMiddleware, type EventMiddleware, type MiddlewareContext } from './middleware.js';
import { ServerError, ServerErrorCode } from './server-error.js';
import { invalidPayloadAnswer, isResponseEventFor } from './handler-answers.js';

/** The default time a handler may run before it is answered `HANDLER_TIMEOUT`: 10 seconds. */
export const defaultHandlerTimeoutMs = 10_000;

/** How an {@link EventProcessor} behaves. */
export interface EventProcessorOptions {
  /** A pino-compatible logger; silent by default. `auth` is never logged. */
  logger?: EventLogger;
  /** How long a handler may run, in ms; {@link defaultHandlerTimeoutMs} by default. Handlers may override it. */
  handlerTimeoutMs?: number;
  /** Require all eight fields of the event (default: lenient, see PROTOCOL.md). */
  strict?: boolean;
  /** Functions around every handled event, outermost first. */
  middleware?: readonly EventMiddleware[];
  /**
   * Run handlers inside the event's flow context, so events they send carry its `flowId`
   * (default `true`). Turn off only when handlers never call other services.
   */
  flowContext?: boolean;
}

/** The adapters' way in; not part of the public API. */
export const answerAsJson = Symbol('answerAsJson');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Turns request events into response events: parses, validates, routes by name and version, runs
 * the handler and names the outcome exactly as the protocol does. Knows nothing of HTTP.
 *
 * @example
 * const processor = new EventProcessor(registry, { handlerTimeoutMs: 5000 });
 * const answer = await processor.processEvent('{"name":"user:get","version":1,…}');
 */
export class EventProcessor {
  readonly registry: EventRegistry;
  readonly #logger: EventLogger;
  readonly #handlerTimeoutMs: number;
  readonly #strict: boolean;
  readonly #middleware: readonly EventMiddleware[];
  readonly #flowContext: boolean;

  /** @throws {ServerError} `INVALID_OPTIONS` for a non-positive handler timeout. */
  constructor(registry: EventRegistry, options: EventProcessorOptions = {}) {
    const timeout = options.handlerTimeoutMs ?? defaultHandlerTimeoutMs;
    if (!(Number.isFinite(timeout) && timeout > 0)) {
      throw new ServerError(
        ServerErrorCode.InvalidOptions,
        `handlerTimeoutMs must be a positive number, got ${String(timeout)}`,
      );
    }
    this.registry = registry;
    this.#logger = options.logger ?? silentLogger;
    this.#handlerTimeoutMs = timeout;
    this.#strict = options.strict ?? false;
    this.#middleware = [...(options.middleware ?? [])];
    this.#flowContext = options.flowContext ?? true;
  }

  /**
   * Answers one request. `input` is a raw body (string or bytes, read as UTF-8) or an already
   * parsed value. Always resolves to a response event; never rejects.
   */
  processEvent(input: unknown): Promise<ResponseEvent> {
    const answer = this.#process(input);
    return isThenable(answer) ? answer : Promise.resolve(answer);
  }

  /**
   * Answers one request as JSON text, ready to write: like {@link processEvent}, and an answer
   * that JSON cannot hold (a cycle in the handler's result) becomes `<name>:error`.
   */
  processEventToJson(input: unknown): Promise<string> {
    const text = this[answerAsJson](input);
    return typeof text === 'string' ? Promise.resolve(text) : text;
  }

  /** @internal For the adapters: {@link processEventToJson}, synchronous when the handler is. */
  [answerAsJson](input: unknown): string | Promise<string> {
    const answer = this.#process(input);
    return isThenable(answer) ? answer.then((settled) => this.#toJson(settled)) : this.#toJson(answer);
  }

  // Synchronous from parsing to the answer when the handler is: no promise is made per event that
  // does not need one (each costs more while the flow context's async hooks are on).
  #process(input: unknown): ResponseEvent | Promise<ResponseEvent> {
    const started = this.#logger.isLevelEnabled('info') ? performance.now() : 0;
    let value = input;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      try {
        value = readJsonBody(input);
      } catch {
        return this.#logged(EventBuilder.badProtocol({}), undefined, started);
      }
    }
    const read = readRequestEvent(value, { strict: this.#strict });
    if (!read.ok) return this.#logged(EventBuilder.badProtocol(read), undefined, started);
    const event = read.event;
    const registration = this.registry.find(event.name, event.version);
    if (registration === undefined) return this.#logged(EventBuilder.eventNotFound(event), event, started);
    let answer: ResponseEvent | Promise<ResponseEvent>;
    try {
      answer = this.#flowContext
        ? runInEventContext({ event }, () => this.#handle(registration, event))
        : this.#handle(registration, event);
    } catch (thrown) {
      return this.#logged(answerForThrown(event, thrown, this.#logger), event, started);
    }
    if (!isThenable(answer)) return this.#logged(answer, event, started);
    return answer.then(
      (settled) => this.#logged(settled, event, started),
      (thrown: unknown) => this.#logged(answerForThrown(event, thrown, this.#logger), event, started),
    );
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

  #handle(registration: HandlerRegistration, event: RequestEvent): ResponseEvent | Promise<ResponseEvent> {
    const context: MiddlewareContext = { logger: this.#logger, registration };
    if (this.#middleware.length === 0) return this.#validateAndRun(registration, event, context);
    return runMiddleware(this.#middleware, 0, event, context, async () =>
      this.#validateAndRun(registration, event, context),
    );
  }

  #validateAndRun(
    registration: HandlerRegistration,
    event: RequestEvent,
    context: HandlerContext,
  ): ResponseEvent | Promise<ResponseEvent> {
    if (registration.payload !== undefined) {
      const parsed = registration.payload.safeParse(event.payload);
      if (!parsed.success) return invalidPayloadAnswer(event, parsed.error);
      // The event is this processor's own copy (read by readRequestEvent): no need to copy it again.
      event.payload = parsed.data;
    }
    const result = registration.handle(event, context);
    if (!isThenable(result)) return this.#answerFor(registration, event, result);
    const timeoutMs = registration.timeoutMs ?? this.#handlerTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(this.#timedOut(event, timeoutMs)), timeoutMs);
      result.then(
        (value: unknown) => {
          clearTimeout(timer);
          try {
            resolve(this.#answerFor(registration, event, value));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error), { cause: error }));
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error), { cause: error }));
        },
      );
    });
  }

  #timedOut(event: RequestEvent, timeoutMs: number): ResponseEvent {
    this.#logger.warn(
      { event: event.name, version: event.version, id: event.id, flowId: event.flowId, timeoutMs },
      'handler timed out',
    );
    return EventBuilder.errorFor(event, EventErrorType.Error, {
      code: EventMessageCode.HandlerTimeout,
      parameters: { timeoutMs },
    });
  }

  #answerFor(registration: HandlerRegistration, event: RequestEvent, result: unknown): ResponseEvent {
    if (isResponseEventFor(event, result)) {
      if (registration.response === undefined || readResponseOutcome(result.name).kind !== 'success') return result;
      const parsed = registration.response.safeParse(result.payload);
      return parsed.success ? { ...result, payload: parsed.data } : this.#invalidResponse(event, parsed.error);
    }
    const payload = result === undefined ? null : result;
    if (registration.response === undefined) return EventBuilder.responseFor(event, payload);
    const parsed = registration.response.safeParse(payload);
    return parsed.success ? EventBuilder.responseFor(event, parsed.data) : this.#invalidResponse(event, parsed.error);
  }

  #invalidResponse(event: RequestEvent, error: unknown): ResponseEvent {
    this.#logger.error(
      { err: error, event: event.name, version: event.version, id: event.id, flowId: event.flowId },
      'handler answered a payload that fails its response schema',
    );
    return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.InvalidResponse });
  }

  #logged(answer: ResponseEvent, event: RequestEvent | undefined, started: number): ResponseEvent {
    if (started !== 0) {
      this.#logger.info(
        {
          event: event?.name,
          version: event?.version,
          id: answer.id,
          flowId: answer.flowId,
          outcome: answer.name,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        },
        'event processed',
      );
    }
    return answer;
  }
}
