import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  isEventContextInUse,
  runInEventContext,
  validateSchema,
  type RequestEvent,
  type ResponseEvent,
  type SchemaValidation,
} from '@events-protocol/core';
import { answerForThrown } from './answer-for-thrown.js';
import { answerInTime } from './answer-in-time.js';
import type { EventLogger } from './event-logger.js';
import { EventRun } from './event-run.js';
import { answerForResult, invalidPayloadAnswer, outOfTimeAnswer } from './handler-answers.js';
import type { HandlerRegistration } from './handler-registration.js';
import { isThenable } from './maybe-promise.js';
import { runMiddleware, type EventMiddleware } from './middleware.js';
import type { ResolvedProcessorOptions } from './processor-options.js';
import { inProcessTransport, type TransportInfo } from './transport-info.js';

/**
 * Runs routed events through middleware, payload validation and their handler, each within its
 * time (the handler timeout or the caller's deadline, whichever comes first) and all within the
 * in-flight limit. Synchronous when the middleware and handler are.
 */
export class HandlerRunner {
  readonly #logger: EventLogger;
  readonly #handlerTimeoutMs: number;
  readonly #maxInFlight: number;
  readonly #middleware: readonly EventMiddleware[];
  readonly #flowContext: boolean;
  #inFlight = 0;

  constructor(options: ResolvedProcessorOptions) {
    this.#logger = options.logger;
    this.#handlerTimeoutMs = options.handlerTimeoutMs;
    this.#maxInFlight = options.maxInFlight;
    this.#middleware = options.middleware;
    this.#flowContext = options.flowContext;
  }

  /** How many events are in their middleware and handlers now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Answers one event with its registration: `DEADLINE_EXCEEDED` when the deadline passed before
   * it arrived, `OVERLOADED` past the in-flight limit, otherwise what its middleware and handler
   * answer in time. `transport` reaches middleware and handler as `context.transport`. Never
   * throws and never rejects.
   */
  run(
    registration: HandlerRegistration,
    event: RequestEvent,
    deadline: number | undefined,
    transport: TransportInfo = inProcessTransport,
  ): ResponseEvent | Promise<ResponseEvent> {
    const now = Date.now();
    if (deadline !== undefined && deadline <= now) return outOfTimeAnswer(event, 'deadline', 0);
    if (this.#inFlight >= this.#maxInFlight) {
      this.#logger.warn({ event: event.name, id: event.id, inFlight: this.#inFlight }, 'overloaded: event refused');
      const overloaded = { code: EventMessageCode.Overloaded, parameters: { maxInFlight: this.#maxInFlight } };
      return EventBuilder.errorFor(event, EventErrorType.Error, overloaded);
    }
    const run = new EventRun(
      this.#logger,
      registration,
      registration.timeoutMs ?? this.#handlerTimeoutMs,
      now,
      deadline,
      transport,
    );

    this.#inFlight++;
    let answer: ResponseEvent | Promise<ResponseEvent>;
    try {
      answer =
        this.#flowContext && isEventContextInUse()
          ? runInEventContext({ event, deadline: run.deadline }, () => this.#handle(run, event))
          : this.#handle(run, event);
    } catch (thrown) {
      this.#inFlight--;
      return answerForThrown(event, thrown, this.#logger, registration.errors);
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
        return answerForThrown(event, thrown, this.#logger, registration.errors);
      },
    );
  }

  #handle(run: EventRun, event: RequestEvent): ResponseEvent | Promise<ResponseEvent> {
    if (this.#middleware.length === 0) return this.#validateAndHandle(run, event);
    return runMiddleware(this.#middleware, 0, event, run, async () => this.#validateAndHandle(run, event));
  }

  #validateAndHandle(run: EventRun, event: RequestEvent): ResponseEvent | Promise<ResponseEvent> {
    const registration = run.registration;
    if (registration.payload !== undefined) {
      const checked = validateSchema(registration.payload, event.payload);
      if (isThenable(checked)) return checked.then((settled) => this.#handleChecked(run, event, settled));
      return this.#handleChecked(run, event, checked);
    }
    return this.#callHandler(run, event);
  }

  #handleChecked(
    run: EventRun,
    event: RequestEvent,
    checked: SchemaValidation,
  ): ResponseEvent | Promise<ResponseEvent> {
    if (!checked.ok) return invalidPayloadAnswer(event, checked.issues);
    // The event is the processor's own copy (read by readRequestEvent): no need to copy it again.
    event.payload = checked.value;
    return this.#callHandler(run, event);
  }

  #callHandler(run: EventRun, event: RequestEvent): ResponseEvent | Promise<ResponseEvent> {
    const registration = run.registration;
    const result = registration.handle(event, run);
    if (!isThenable(result)) return answerForResult(registration, event, result, this.#logger);
    return answerInTime(run, event, result);
  }
}
