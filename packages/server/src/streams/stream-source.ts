import type { ResponseEvent } from '@events-protocol/core';
import type { TransportHeaders } from '../transport-info.js';

/**
 * One message a {@link StreamSource} delivered: an event's text and what the broker knows of its
 * delivery. The consumer hands it back to the source to settle it: `ack`, `retry` or `deadLetter`.
 */
export interface StreamMessage {
  /** The broker's id of this message (a Redis entry id, a JetStream stream sequence). */
  readonly id: string;
  /** The event as text: the events-protocol event JSON, or a JSON CloudEvent 1.0. */
  readonly body: string;
  /** The message's headers or other fields besides the event, looked up in any case. */
  readonly headers: TransportHeaders;
  /** The stream or subject it came from, given to handlers as `context.transport.subject`. */
  readonly subject: string;
  /** Which delivery this is, 1 for the first: crashes and lapsed leases count too. */
  readonly attempt: number;
  /** When the broker first stored the message (ms since the epoch), when it says. */
  readonly storedAt?: number | undefined;
}

/** Why a message is moved to the dead letter. */
export type DeadLetterReason =
  /** The handler answered a typed error that a retry would answer the same way. */
  | 'rejected'
  /** Every attempt of the retry schedule failed (or crashed). */
  | 'exhausted';

/** What a source writes next to a message it moves to the dead letter. */
export interface DeadLetter {
  readonly reason: DeadLetterReason;
  /** The attempts made, this one included. */
  readonly attempts: number;
  /** The last answer, when the handler ran (none when the budget was spent by crashes). */
  readonly answer?: ResponseEvent | undefined;
}

/**
 * Where a consumer reads events from: a Redis Streams consumer group (`RedisStreamSource`), a
 * JetStream durable consumer (`JetStreamSource` in `@events-protocol/nats`), or your own broker.
 * A message not settled (the process died) must come back after a lease, with its attempt count
 * raised: that is how nothing is lost.
 */
export interface StreamSource {
  /** A short name for logs and errors, e.g. `redis:orders`. */
  readonly name: string;
  /** How long a delivered message stays ours before the broker gives it to another consumer, in ms. */
  readonly leaseMs?: number;
  /**
   * Up to `max` messages, each yielded as soon as it arrives (the consumer starts its handler at
   * once). Ends after a short wait (a few seconds at most) when there are no more, and soon once
   * `signal` aborts; a message it yielded is the consumer's to settle.
   */
  pull(max: number, signal: AbortSignal): AsyncIterable<StreamMessage>;
  /** The message was handled: it is never delivered again. */
  ack(message: StreamMessage): Promise<void>;
  /** Deliver the message again, as the next attempt, after about `delayMs`. */
  retry(message: StreamMessage, delayMs: number): Promise<void>;
  /** Store the message where operators find it, then settle it: it is never delivered again here. */
  deadLetter(message: StreamMessage, letter: DeadLetter): Promise<void>;
  /** Releases what the source holds (not a client it was given). */
  close?(): Promise<void>;
}
