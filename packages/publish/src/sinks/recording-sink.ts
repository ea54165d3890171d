import { isDeepStrictEqual } from 'node:util';
import { writeJson } from '@events-protocol/core';
import type { PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** One published event as recorded, with the options it was published with. */
export interface RecordedEvent {
  readonly event: PublishedEvent;
  readonly options: PublishOptions;
}

/** What `assertPublished` matches: name, and version, payload, id… when given. */
export type ExpectedEvent = Partial<PublishedEvent> & { name: string; topic?: string };

/** Thrown by {@link RecordingSink.assertPublished} with a readable diff. */
export class PublishAssertionError extends Error {
  override readonly name = 'PublishAssertionError';
}

function matches(recorded: RecordedEvent, expected: ExpectedEvent): boolean {
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'topic') {
      if (recorded.options.topic !== value) return false;
    } else if (!isDeepStrictEqual(recorded.event[key as keyof PublishedEvent], value)) {
      return false;
    }
  }
  if (expected.version === undefined && recorded.event.version !== 1) return false;
  return true;
}

function describe(event: Partial<PublishedEvent> & { topic?: string }): string {
  const { name, version, payload, topic } = event;
  return writeJson({ name, version: version ?? 1, ...(topic === undefined ? {} : { topic }), payload });
}

/**
 * A sink for tests: keeps every event and checks what was published, matching on name, version
 * and payload and ignoring generated ids and timestamps unless the expectation gives them.
 *
 * @example
 * const sink = new RecordingSink();
 * await placeOrder(sink);
 * sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-1' } });
 */
export class RecordingSink implements Sink {
  readonly name: string;
  readonly #recorded: RecordedEvent[] = [];

  constructor(name = 'recording') {
    this.name = name;
  }

  /** Every event published so far, in order. */
  get events(): readonly PublishedEvent[] {
    return this.#recorded.map((recorded) => recorded.event);
  }

  /** Every event with its options (topic, attributes). */
  get recorded(): readonly RecordedEvent[] {
    return [...this.#recorded];
  }

  publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    // A deep copy: later changes to the caller's objects do not rewrite history.
    const { signal: _signal, ...kept } = options;
    this.#recorded.push({ event: structuredClone(event), options: kept });
    return Promise.resolve();
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** Forgets everything recorded. */
  clear(): void {
    this.#recorded.length = 0;
  }

  /**
   * Asserts that each expected event was published (in this order, others may come between).
   *
   * @throws {PublishAssertionError} listing what was expected and what was published instead.
   */
  assertPublished(...expected: ExpectedEvent[]): void {
    let from = 0;
    for (const [index, expectation] of expected.entries()) {
      const found = this.#recorded.findIndex(
        (recorded, position) => position >= from && matches(recorded, expectation),
      );
      if (found === -1) {
        const published = this.#recorded.map(
          (recorded, position) =>
            `  ${position + 1}. ${describe({ ...recorded.event, ...(recorded.options.topic === undefined ? {} : { topic: recorded.options.topic }) })}`,
        );
        throw new PublishAssertionError(
          [
            `expected event ${index + 1} of ${expected.length} was not published${from > 0 ? ` after event ${from}` : ''}:`,
            `- expected: ${describe(expectation)}`,
            published.length === 0 ? '+ published: nothing' : `+ published:\n${published.join('\n')}`,
          ].join('\n'),
        );
      }
      from = found + 1;
    }
  }
}
