import { SinkLifecycle } from '../sink-lifecycle.js';
import { checkPublishOptions } from '../check-publish-options.js';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { serializeEvent } from '../serialize-event.js';
import type { DeliveryReport, PublishedEvent, PublishOptions, Sink } from '../sink.js';
import {
  describeExpected,
  describeRecorded,
  fieldsNamed,
  matchesExpectation,
  numbered,
  type ExpectedEvent,
  type RecordedEvent,
} from './expected-event.js';

export type { ExpectedEvent, RecordedEvent } from './expected-event.js';

/**
 * Thrown by the assertions of {@link RecordingSink}, with what was expected and what was published:
 * a {@link PublishError} with the code `ASSERTION_FAILED`.
 */
export class PublishAssertionError extends PublishError {
  override readonly name = 'PublishAssertionError';

  constructor(message: string, options: { sink?: string } = {}) {
    super(PublishErrorCode.AssertionFailed, message, options);
  }
}

/**
 * A sink for tests: keeps every event and checks what was published. Expectations match on
 * `name` and `version` (1 when left out) and on every other field they give, so generated ids and
 * timestamps are ignored unless the test names them.
 *
 * @example
 * const sink = new RecordingSink();
 * await placeOrder(sink);
 * sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-1' } });
 */
export class RecordingSink implements Sink {
  readonly name: string;
  readonly #recorded: RecordedEvent[] = [];
  readonly #lifecycle: SinkLifecycle;
  readonly #report: DeliveryReport | undefined;

  /**
   * @param name The sink's name, `recording` by default.
   * @param options `report`: what each publish resolves, as a real sink's delivery report would
   * (for tests of what a relay records); nothing by default.
   */
  constructor(name = 'recording', options: { report?: DeliveryReport } = {}) {
    this.name = name;
    this.#lifecycle = new SinkLifecycle(name);
    this.#report = options.report === undefined ? undefined : { ...options.report };
  }

  /** Every event published so far, in order. */
  get events(): readonly PublishedEvent[] {
    return this.#recorded.map((recorded) => recorded.event);
  }

  /** Every event with its options (topic, attributes). */
  get recorded(): readonly RecordedEvent[] {
    return [...this.#recorded];
  }

  publish(event: PublishedEvent, options: PublishOptions = {}): Promise<DeliveryReport | undefined> {
    if (this.#lifecycle.closed) return Promise.reject(this.#lifecycle.closedError());
    let refusal: PublishError | undefined;
    try {
      // A test sink refuses what every real sink refuses (the whole event, identity and auth too).
      checkPublishOptions(options, this.name);
      serializeEvent(event, this.name, { identity: true, auth: true });
    } catch (error) {
      refusal = error as PublishError;
    }
    if (refusal !== undefined) return Promise.reject(refusal);
    // A deep copy: later changes to the caller's objects do not rewrite history.
    const { signal: _signal, ...kept } = options;
    this.#recorded.push({ event: structuredClone(event), options: structuredClone(kept) });
    return Promise.resolve(this.#report === undefined ? undefined : { ...this.#report });
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** After it, publishing rejects with `CLOSED`; what was recorded stays readable. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  /** Forgets everything recorded. */
  clear(): void {
    this.#recorded.length = 0;
  }

  /**
   * Asserts that exactly these events were published, in this order: the counts must be equal,
   * then each published event must match the expectation at its position. With no expectation it
   * asserts that nothing was published.
   *
   * @throws {PublishAssertionError} showing what was expected and what was published.
   */
  assertPublished(...expected: ExpectedEvent[]): void {
    const fields = fieldsNamed(expected);
    const published = this.#recorded.map((recorded) => describeRecorded(recorded, fields));
    const expectedLines = expected.map(describeExpected);
    if (published.length !== expected.length) {
      const wanted = expected.length === 0 ? 'no event' : `${expected.length} event${expected.length === 1 ? '' : 's'}`;
      throw new PublishAssertionError(
        [
          `expected ${wanted} to be published, got ${published.length}:`,
          `- expected:${numbered(expectedLines)}`,
          `+ published:${numbered(published)}`,
        ].join('\n'),
      );
    }
    for (const [index, expectation] of expected.entries()) {
      const recorded = this.#recorded[index] as RecordedEvent;
      if (matchesExpectation(recorded, expectation)) continue;
      throw new PublishAssertionError(
        [
          `published event ${index + 1} of ${expected.length} is not the one expected:`,
          `- expected:  ${expectedLines[index] ?? ''}`,
          `+ published: ${published[index] ?? ''}`,
          `all published:${numbered(published)}`,
        ].join('\n'),
      );
    }
  }

  /**
   * Asserts that these events were published in this order, other events possibly coming
   * before, between or after them. Needs at least one expectation.
   *
   * @throws {PublishAssertionError} naming the first expected event not found, and listing what
   * was published.
   */
  assertPublishedInOrder(...expected: ExpectedEvent[]): void {
    if (expected.length === 0) {
      throw new PublishAssertionError(
        'assertPublishedInOrder needs at least one expected event (assertPublished() asserts that nothing was published)',
      );
    }
    let from = 0;
    for (const [index, expectation] of expected.entries()) {
      const found = this.#recorded.findIndex(
        (recorded, position) => position >= from && matchesExpectation(recorded, expectation),
      );
      if (found === -1) {
        const published = this.#recorded.map((recorded) => describeRecorded(recorded, fieldsNamed(expected)));
        throw new PublishAssertionError(
          [
            `expected event ${index + 1} of ${expected.length} was not published${from > 0 ? ` after event ${from}` : ''}:`,
            `- expected: ${describeExpected(expectation)}`,
            `+ published:${numbered(published)}`,
          ].join('\n'),
        );
      }
      from = found + 1;
    }
  }
}
