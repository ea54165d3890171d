import type { EventLogger } from './event-logger.js';
import type { HandlerRegistration } from './handler-registration.js';
import type { MiddlewareContext } from './middleware.js';

/**
 * The context of one event while its middleware and handler run: its deadline, and an abort
 * signal made only when someone asks for it.
 */
export class EventRun implements MiddlewareContext {
  readonly logger: EventLogger;
  readonly registration: HandlerRegistration;
  readonly deadline: number;
  #controller: AbortController | undefined;
  #abortReason: Error | undefined;

  constructor(logger: EventLogger, registration: HandlerRegistration, deadline: number) {
    this.logger = logger;
    this.registration = registration;
    this.deadline = deadline;
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
