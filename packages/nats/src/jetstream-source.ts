import type { DeadLetter, StreamMessage, StreamSource } from '@events-protocol/server/streams';
import { writeJson } from '@events-protocol/core';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/nats-core';
import { NatsError, NatsErrorCode } from './nats-error.js';
import { jetStreamSourceHeaders } from './jetstream-source-headers.js';

/** Where a {@link JetStreamSource} reads and how. */
export interface JetStreamSourceOptions {
  /** A connected `NatsConnection`; the source never closes it. */
  connection: NatsConnection;
  /** The stream to consume, e.g. `EVENTS`. */
  stream: string;
  /** The durable consumer's name: consumers of one name share the stream's messages. */
  durable: string;
  /** Only messages on this subject (wildcards allowed), e.g. `events.orders`; the whole stream by default. */
  filterSubject?: string;
  /**
   * How long a delivered message stays this process's before JetStream delivers it again (the
   * consumer's `ack_wait`), in ms; 30 s by default. Keep it above the handlers' timeout.
   */
  ackWaitMs?: number;
  /**
   * Where dead letters are published, `deadletter.<stream>` by default: a subject some other stream
   * must capture (not this one, or the consumer reads its dead letters again).
   */
  deadLetterSubject?: string;
  /** How long one pull waits for messages, in ms (at least 1,000, the client's minimum); 1 s by default. */
  maxWaitMs?: number;
  /**
   * Create the durable consumer when it is missing (explicit acks, every message from the start,
   * no delivery limit: the retry schedule decides); `true` by default. With `false` it must exist.
   */
  create?: boolean;
}

/** The headers a dead letter carries besides the message's own. */
export const deadLetterHeaders = {
  reason: 'events-dead-reason',
  attempts: 'events-dead-attempts',
  stream: 'events-dead-stream',
  sequence: 'events-dead-sequence',
  subject: 'events-dead-subject',
  answer: 'events-dead-answer',
} as const;

/**
 * A `StreamSource` over a JetStream durable pull consumer, for `consume` of
 * `@events-protocol/server/streams`. A message is acknowledged (`ackAck`, confirmed by the server)
 * after its handler answered; a retry is a `nak` with the schedule's delay; a dead letter is
 * published to the dead-letter subject (its headers, `events-dead-reason`, `-attempts`, `-stream`,
 * `-sequence`, `-subject`, `-answer`) and then `term`inated. The attempt is JetStream's delivery
 * count, so a process killed mid-handler loses nothing: its messages come back after `ack_wait`,
 * counted.
 *
 * @example
 * const source = new JetStreamSource({ connection, stream: 'EVENTS', durable: 'billing' });
 * const consumer = consume(registry, source);
 */
export class JetStreamSource implements StreamSource {
  readonly name: string;
  readonly leaseMs: number;
  readonly deadLetterSubject: string;
  readonly #options: JetStreamSourceOptions;
  readonly #client: JetStreamClient;
  readonly #maxWaitMs: number;
  readonly #messages = new WeakMap<StreamMessage, JsMsg>();
  #consumer: Promise<Consumer> | undefined;

  /** @throws {NatsError} `INVALID_OPTIONS` for a missing stream or durable name, or a wait that is no positive integer. */
  constructor(options: JetStreamSourceOptions) {
    if (options.stream === '' || options.durable === '') {
      throw new NatsError(NatsErrorCode.InvalidOptions, 'JetStreamSource needs a stream and a durable consumer name');
    }
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    if (!Number.isSafeInteger(ackWaitMs) || ackWaitMs < 1) {
      throw new NatsError(NatsErrorCode.InvalidOptions, `ackWaitMs must be a positive integer, got ${ackWaitMs}`);
    }
    this.#options = options;
    this.#client = jetstream(options.connection);
    this.#maxWaitMs = Math.max(1000, options.maxWaitMs ?? 1000);
    this.leaseMs = ackWaitMs;
    this.deadLetterSubject = options.deadLetterSubject ?? `deadletter.${options.stream}`;
    this.name = `jetstream:${options.stream}/${options.durable}`;
  }

  async *pull(max: number, signal: AbortSignal): AsyncGenerator<StreamMessage> {
    if (signal.aborted) return;
    const consumer = await this.#consumerOnce();
    // Ended by the server after `expires` at the latest; not stopped early, so no message is
    // delivered to a pull nobody reads any more.
    const batch = await consumer.fetch({ max_messages: max, expires: this.#maxWaitMs });
    for await (const delivered of batch) yield this.#message(delivered);
  }

  async ack(message: StreamMessage): Promise<void> {
    const delivered = this.#delivered(message);
    if (!(await delivered.ackAck())) {
      throw new NatsError(
        NatsErrorCode.Unreachable,
        `${this.name}: the server did not confirm the ack of ${message.id}`,
      );
    }
  }

  retry(message: StreamMessage, delayMs: number): Promise<void> {
    this.#delivered(message).nak(delayMs);
    return Promise.resolve();
  }

  async deadLetter(message: StreamMessage, letter: DeadLetter): Promise<void> {
    const delivered = this.#delivered(message);
    const headers = natsHeaders();
    for (const [name, values] of delivered.headers ?? []) for (const value of values) headers.append(name, value);
    headers.set(deadLetterHeaders.reason, letter.reason);
    headers.set(deadLetterHeaders.attempts, String(letter.attempts));
    headers.set(deadLetterHeaders.stream, delivered.info.stream);
    headers.set(deadLetterHeaders.sequence, message.id);
    headers.set(deadLetterHeaders.subject, delivered.subject);
    if (letter.answer !== undefined) headers.set(deadLetterHeaders.answer, writeJson(letter.answer));
    // The message id makes a dead letter published twice (a crash before the term) one message.
    await this.#client.publish(this.deadLetterSubject, delivered.data, {
      headers,
      msgID: `${delivered.info.stream}:${message.id}`,
    });
    // No reason given: servers before 2.11 ignore a `+TERM` that carries one (the headers say why).
    delivered.term();
  }

  #delivered(message: StreamMessage): JsMsg {
    const delivered = this.#messages.get(message);
    if (delivered === undefined) {
      throw new NatsError(
        NatsErrorCode.InvalidOptions,
        `${this.name}: message ${message.id} was not delivered by this source`,
      );
    }
    return delivered;
  }

  #message(delivered: JsMsg): StreamMessage {
    const message: StreamMessage = {
      id: String(delivered.seq),
      body: delivered.string(),
      headers: jetStreamSourceHeaders(delivered.headers),
      subject: delivered.subject,
      attempt: delivered.info.deliveryCount,
      storedAt: Math.floor(delivered.info.timestampNanos / 1e6),
    };
    this.#messages.set(message, delivered);
    return message;
  }

  #consumerOnce(): Promise<Consumer> {
    const opened = (this.#consumer ??= this.#openConsumer());
    // A failed open is not kept: the next pull tries again.
    opened.catch(() => {
      if (this.#consumer === opened) this.#consumer = undefined;
    });
    return opened;
  }

  async #openConsumer(): Promise<Consumer> {
    const { connection, stream, durable, filterSubject } = this.#options;
    if (this.#options.create !== false) {
      const manager = await jetstreamManager(connection);
      await manager.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(this.leaseMs),
        max_deliver: -1,
        ...(filterSubject === undefined ? {} : { filter_subject: filterSubject }),
      });
    }
    return this.#client.consumers.get(stream, durable);
  }
}
