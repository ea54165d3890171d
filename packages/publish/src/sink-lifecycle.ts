import { PublishError, PublishErrorCode } from './publish-error.js';

/**
 * The one close-once rule every sink of this package follows: once `close()` has been called,
 * `publish` (and `publishBatch`) reject with `CLOSED` and write nothing, and every later
 * `close()` resolves with the first one, releasing connections only once.
 */
export class SinkLifecycle {
  readonly #sink: string;
  #closing: Promise<void> | undefined;

  constructor(sink: string) {
    this.#sink = sink;
  }

  /** Whether `close()` has been called (even if it has not finished). */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** @throws {PublishError} `CLOSED` once the sink is closed. */
  assertOpen(): void {
    if (this.#closing !== undefined) throw this.closedError();
  }

  /** The error a publish to the closed sink rejects with. */
  closedError(): PublishError {
    return new PublishError(PublishErrorCode.Closed, `${this.#sink} is closed`, { sink: this.#sink });
  }

  /** Runs `release` on the first call only; every call resolves when it has finished. */
  close(release: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    this.#closing ??= Promise.resolve().then(release);
    return this.#closing;
  }
}
