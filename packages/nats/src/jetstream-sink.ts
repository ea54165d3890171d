import {
  PublishError,
  PublishErrorCode,
  checkPublishOptions,
  type BatchItem,
  type DeliveryReport,
  type PublishedEvent,
  type PublishOptions,
  type Sink,
} from '@events-protocol/publish';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { checkStreamDurability, type NatsLogger } from './check-stream-durability.js';
import { jetStreamMessage, type JetStreamMessageFormat } from './jetstream-message.js';
import { publishErrorOf } from './jetstream-publish-error.js';
import { NatsConnectionHolder } from './nats-connection-holder.js';
import { NatsError, NatsErrorCode, isNatsError } from './nats-error.js';
import type { DurabilityReport } from './stream-durability.js';
import { untilAborted } from './until-aborted.js';
import { checkJetStreamSinkOptions, type JetStreamSinkOptions } from './jetstream-sink-options.js';

/**
 * Publishes events to NATS JetStream and resolves once the stream has acknowledged each one (its
 * PubAck), so a resolved publish is stored by the stream. The message id (`Nats-Msg-Id`) is the
 * event id: a retry of an event already stored, within the stream's duplicate window, is dropped by
 * the server and acknowledged as a duplicate. One subject per topic (`events.<topic>`, or `events`
 * without a topic) unless `subject` says otherwise. Failures are {@link PublishError}s: no PubAck in
 * time `TIMEOUT`, no stream for the subject `UNDELIVERABLE` (permanent), a stream between leaders or
 * a lost connection `UNREACHABLE`, a refusal by the stream `REJECTED`.
 *
 * @example
 * const sink = await JetStreamSink.open({ connection, stream: 'EVENTS', logger });
 * await sink.publish(event, { topic: 'orders' }); // stored on subject events.orders
 */
export class JetStreamSink implements Sink {
  readonly name: string;
  readonly #connection: NatsConnectionHolder;
  readonly #subject: (topic: string | undefined, event: PublishedEvent) => string;
  readonly #stream: string | undefined;
  readonly #timeoutMs: number;
  readonly #format: JetStreamMessageFormat;
  readonly #logger: NatsLogger | undefined;
  readonly #syncInterval: string | undefined;
  #client: Promise<JetStreamClient> | undefined;
  #manager: Promise<JetStreamManager> | undefined;
  #closing: Promise<void> | undefined;
  #durability: DurabilityReport | undefined;

  /** @throws {PublishError} `INVALID_OPTIONS`. */
  constructor(options: JetStreamSinkOptions) {
    const checked = checkJetStreamSinkOptions(options);
    this.name = checked.name;
    this.#subject = checked.subject;
    this.#stream = checked.stream;
    this.#timeoutMs = checked.timeoutMs;
    this.#format = {
      sink: checked.name,
      cloudEventSource: checked.cloudEventSource,
      includeIdentity: checked.includeIdentity,
    };
    this.#logger = options.logger;
    this.#syncInterval = options.syncInterval;
    this.#connection = new NatsConnectionHolder(options.connection, options.connectionOptions);
  }

  /**
   * Makes a sink and, when it names its `stream`, checks that stream's durability at once,
   * logging each risk at `warn` (see {@link checkStreamDurability}); a stream that cannot be read
   * is a warning too, not a failure, since publishing says the same per event.
   */
  static async open(options: JetStreamSinkOptions): Promise<JetStreamSink> {
    const sink = new JetStreamSink(options);
    if (sink.#stream !== undefined) {
      try {
        await sink.checkDurability();
      } catch (error) {
        if (!isNatsError(error)) throw error;
        options.logger?.warn({ stream: sink.#stream }, error.message);
      }
    }
    return sink;
  }

  /** The last {@link checkDurability} report, when one ran. */
  get durability(): DurabilityReport | undefined {
    return this.#durability;
  }

  /**
   * Checks the durability of the sink's `stream` and logs each risk at `warn`.
   *
   * @throws {NatsError} `INVALID_OPTIONS` without a `stream`; `UNREACHABLE` when its info cannot be read.
   */
  async checkDurability(): Promise<DurabilityReport> {
    const stream = this.#stream;
    if (stream === undefined) throw new NatsError(NatsErrorCode.InvalidOptions, `${this.name}: no stream to check`);
    this.#durability = await checkStreamDurability({
      connection: await this.#connection.get(),
      stream,
      logger: this.#logger,
      syncInterval: this.#syncInterval,
      manager: await this.#jetStreamManager(),
    });
    return this.#durability;
  }

  /** The subject an event goes to. */
  subjectOf(event: PublishedEvent, topic?: string): string {
    return this.#subject(topic, event);
  }

  /** Publishes one event and waits for the stream's acknowledgement; reports the stream and sequence. */
  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<DeliveryReport> {
    if (this.#closing !== undefined) throw this.#closedError();
    checkPublishOptions(options, this.name);
    const subject = this.#subject(options.topic, event);
    const { data, headers } = jetStreamMessage(event, options, this.#format);
    try {
      const client = await this.#jetStream();
      const published = client.publish(subject, data, {
        msgID: event.id,
        timeout: this.#timeoutMs,
        headers,
        ...(this.#stream === undefined ? {} : { expect: { streamName: this.#stream } }),
      });
      const ack = await untilAborted(published, options.signal, this.#abortedError);
      return { responseExcerpt: `${ack.stream} #${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}` };
    } catch (error) {
      if (error instanceof PublishError) throw error;
      throw await publishErrorOf(error, {
        sink: this.name,
        subject,
        timeoutMs: this.#timeoutMs,
        manager: () => this.#jetStreamManager(),
      });
    }
  }

  /** Publishes the batch's events at once over the one connection; one outcome per event, in order. */
  publishBatch(batch: readonly BatchItem[]): Promise<PromiseSettledResult<DeliveryReport>[]> {
    return Promise.allSettled(batch.map(({ event, options }) => this.publish(event, options)));
  }

  /** Whether JetStream answers for the account within the sink's timeout; never throws. */
  async healthCheck(): Promise<boolean> {
    if (this.#closing !== undefined) return false;
    try {
      const manager = await this.#jetStreamManager();
      await manager.getAccountInfo();
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the connection the sink opened (never one it was given); later publishes reject `CLOSED`. */
  close(): Promise<void> {
    this.#closing ??= this.#connection.close();
    return this.#closing;
  }

  #jetStream(): Promise<JetStreamClient> {
    this.#client ??= this.#connection.get().then((connection) => jetstream(connection, { timeout: this.#timeoutMs }));
    return this.#client;
  }

  #jetStreamManager(): Promise<JetStreamManager> {
    this.#manager ??= this.#connection
      .get()
      .then((connection) => jetstreamManager(connection, { timeout: this.#timeoutMs, checkAPI: false }));
    // A failed attempt is not kept: the next call asks again.
    this.#manager.catch(() => (this.#manager = undefined));
    return this.#manager;
  }

  /** What a publish cancelled by the caller's signal rejects with. */
  readonly #abortedError = (signal: AbortSignal): PublishError =>
    new PublishError(PublishErrorCode.Aborted, `${this.name}: publish cancelled`, {
      cause: signal.reason,
      sink: this.name,
    });

  #closedError(): PublishError {
    return new PublishError(PublishErrorCode.Closed, `${this.name} is closed`, { sink: this.name });
  }
}
