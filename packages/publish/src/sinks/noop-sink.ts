import type { PublishedEvent, Sink } from '../sink.js';

/** A sink that takes every event and keeps none: for wiring where publishing is switched off. */
export class NoopSink implements Sink {
  readonly name: string;

  constructor(name = 'noop') {
    this.name = name;
  }

  publish(_event: PublishedEvent): Promise<void> {
    return Promise.resolve();
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
