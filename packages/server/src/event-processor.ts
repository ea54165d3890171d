import {
  EventBuilder,
  readJsonBody,
  readMetadataDeadline,
  readParsedRequestEvent,
  readRequestEvent,
  type RequestEvent,
  type RequestEventReadResult,
  type ResponseEvent,
} from '@events-protocol/core';
import { answerToJson } from './answer-json.js';
import { AnswerRecorder } from './answer-recorder.js';
import type { EventLogger } from './event-logger.js';
import type { EventRegistry } from './event-registry.js';
import { eventTracer, startEventSpan } from './event-tracing.js';
import { withDeprecationNotice } from './handler-answers.js';
import { HandlerRunner } from './handler-runner.js';
import { isThenable } from './maybe-promise.js';
import { resolveProcessorOptions, type EventProcessorOptions, type ProcessEventOptions } from './processor-options.js';
import { answerOnce, type ResolvedReplayOptions } from './replay-once.js';
import { inProcessTransport, type TransportInfo } from './transport-info.js';

/** The adapters' way in; not part of the public API. */
export const answerAsJson = Symbol('answerAsJson');

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
  readonly #strictOptions: { readonly strict: boolean };
  readonly #jsonOptions: { readonly maxDepth: number };
  readonly #tracer = eventTracer();
  readonly #recorder: AnswerRecorder;
  readonly #runner: HandlerRunner;
  readonly #replay: ResolvedReplayOptions | undefined;

  /** @throws {ServerError} `INVALID_OPTIONS` for a non-positive handler timeout, in-flight limit or JSON depth. */
  constructor(registry: EventRegistry, options: EventProcessorOptions = {}) {
    const resolved = resolveProcessorOptions(options);
    this.registry = registry;
    this.#logger = resolved.logger;
    this.#strictOptions = { strict: resolved.strict };
    this.#jsonOptions = resolved.jsonOptions;
    this.#recorder = new AnswerRecorder(resolved.metrics, resolved.logger);
    this.#runner = new HandlerRunner(resolved);
    this.#replay = resolved.replay;
  }

  /** How many events are in their handlers now. */
  get inFlight(): number {
    return this.#runner.inFlight;
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
    return isThenable(answer)
      ? answer.then((settled) => answerToJson(settled, this.#logger))
      : answerToJson(answer, this.#logger);
  }

  // Synchronous from parsing to the answer when the handler is: no promise is made per event that
  // does not need one (each costs more while the flow context's async hooks are on).
  #process(input: unknown, options: ProcessEventOptions | undefined): ResponseEvent | Promise<ResponseEvent> {
    const started = this.#recorder.start();
    let read: RequestEventReadResult;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      let value: unknown;
      try {
        value = readJsonBody(input, this.#jsonOptions);
      } catch {
        return this.#recorder.record(EventBuilder.badProtocol({}), undefined, started);
      }
      // Parsed here and held by no one else: its objects need no copies.
      read = readParsedRequestEvent(value, this.#strictOptions);
    } else read = readRequestEvent(input, this.#strictOptions);
    if (!read.ok) return this.#recorder.record(EventBuilder.badProtocol(read), undefined, started);
    const event = read.event;
    const span = startEventSpan(this.#tracer, event, options?.traceCarrier);
    const deadline = options?.deadline;
    const transport = options?.transport ?? inProcessTransport;
    const answer =
      span === undefined
        ? this.#answer(event, deadline, transport)
        : span.run(() => this.#answer(event, deadline, transport));
    if (!isThenable(answer))
      return this.#recorder.record(span === undefined ? answer : span.end(answer), event, started);
    return answer.then((settled) =>
      this.#recorder.record(span === undefined ? settled : span.end(settled), event, started),
    );
  }

  /** Routes a read event and answers it: not found, replayed, or run; deprecations noted. */
  #answer(
    event: RequestEvent,
    callerDeadline: number | undefined,
    transport: TransportInfo,
  ): ResponseEvent | Promise<ResponseEvent> {
    const registration = this.registry.find(event.name, event.version);
    if (registration === undefined) return EventBuilder.eventNotFound(event);
    const deadline = callerDeadline ?? readMetadataDeadline(event.metadata);
    const answer =
      this.#replay === undefined
        ? this.#runner.run(registration, event, deadline, transport)
        : answerOnce(this.#replay, event, this.#logger, () =>
            this.#runner.run(registration, event, deadline, transport),
          );
    const deprecated = registration.deprecated;
    if (deprecated === undefined) return answer;
    return isThenable(answer)
      ? answer.then((settled) => withDeprecationNotice(settled, deprecated))
      : withDeprecationNotice(answer, deprecated);
  }
}
