import { SinkLifecycle } from '../sink-lifecycle.js';
import type { PublishedEvent, Sink } from '../sink.js';

/** A sink that takes every event and keeps none: for wiring where publishing is switched off. */
export class NoopSink implements Sink {
  readonly name: string;
  readonly #lifecycle: SinkLifecycle;

  constructor(name = 'noop') {
    this.name = name;
    this.#lifecycle = new SinkLifecycle(name);
  }

  publish(_event: PublishedEvent): Promise<void> {
    return this.#lifecycle.closed ? Promise.reject(this.#lifecycle.closedError()) : Promise.resolve();
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** After it, publishing rejects with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }
}
