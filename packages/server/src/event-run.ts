import type { EventLogger } from './event-logger.js';
import type { HandlerRegistration } from './handler-registration.js';
import type { MiddlewareContext } from './middleware.js';
import { inProcessTransport, type TransportInfo } from './transport-info.js';

/** What ends a run that takes too long: the handler's own timeout, or the caller's deadline. */
export type OutOfTimeCause = 'timeout' | 'deadline';

/**
 * The context of one event while its middleware and handler run: its deadline (the earlier of the
 * caller's and the handler timeout's), what that deadline is, the transport it came in by, and an
 * abort signal made only when someone asks for it.
 */
export class EventRun implements MiddlewareContext {
  readonly logger: EventLogger;
  readonly registration: HandlerRegistration;
  /** How long the handler may run, in ms: its own timeout, else the processor's. */
  readonly timeoutMs: number;
  /** When the answer is due, ms since the epoch. */
  readonly deadline: number;
  /** Which limit {@link deadline} is: the caller's deadline only when it comes before the timeout. */
  readonly cause: OutOfTimeCause;
  readonly transport: TransportInfo;
  #controller: AbortController | undefined;
  #abortReason: Error | undefined;

  /**
   * @param startedAt when the run starts, ms since the epoch.
   * @param callerDeadline when the caller stops waiting, if it said.
   * @param transport what the transport knows of the request; in-process when not said.
   */
  constructor(
    logger: EventLogger,
    registration: HandlerRegistration,
    timeoutMs: number,
    startedAt: number,
    callerDeadline: number | undefined,
    transport: TransportInfo = inProcessTransport,
  ) {
    this.logger = logger;
    this.registration = registration;
    this.timeoutMs = timeoutMs;
    const timeoutAt = startedAt + timeoutMs;
    const callerFirst = callerDeadline !== undefined && callerDeadline < timeoutAt;
    this.deadline = callerFirst ? callerDeadline : timeoutAt;
    this.cause = callerFirst ? 'deadline' : 'timeout';
    this.transport = transport;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /** Ends the run: aborts the signal if it was made, and any made later starts aborted. */
  abort(reason: Error): void {
    this.#abortReason ??= reason;
    this.#controller?.abort(reason);
  }
}
