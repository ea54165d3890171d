import type { PublishedEventContract, PublishedEventFields, PublishedPayloadInput } from '@events-protocol/core';
import {
  checkContractEvent,
  PublishError,
  PublishErrorCode,
  publishedEventOf,
  topicAttributes,
  toPublishedEvent,
  type BatchItem,
  type PublishedEvent,
  type PublishOptions,
  type Sink,
  type TopicAttributes,
  type TopicMessage,
} from '@events-protocol/publish';
import type { Outbox, OutboxRelay, OutboxRelayOptions } from '@events-protocol/outbox';
import { TopicsError, TopicsErrorCode } from './topics-error.js';

/**
 * How a publish ended: delivered now, stored for later (scheduled, or queued in the caller's
 * transaction for the relay), or stored as undelivered for an operator.
 */
export type PublishOutcome =
  | { readonly outcome: 'delivered'; readonly event: PublishedEvent }
  | { readonly outcome: 'scheduled'; readonly event: PublishedEvent; readonly at: Date }
  | { readonly outcome: 'queued'; readonly event: PublishedEvent }
  | { readonly outcome: 'undelivered'; readonly event: PublishedEvent; readonly error: unknown };

/** Options of {@link DurableTopicPublisher.publish}. */
export interface TopicPublishOptions<TEnqueueOptions extends object = object> {
  /** Deliver not before this time: stored now, delivered by the relay, across restarts. */
  at?: Date;
  /** Deliver not before this many ms from now. */
  delayMs?: number;
  /**
   * Store the event in the caller's open transaction instead of sending it now: the outbox
   * store's enqueue options, `{ client }` on PostgreSQL or `{ database }` on SQLite. A ROLLBACK
   * leaves nothing to deliver; after the COMMIT the relay delivers it (resolves `queued`).
   */
  within?: TEnqueueOptions;
}

/** How a {@link DurableTopicPublisher} is set up. */
export interface DurableTopicPublisherOptions<TEnqueueOptions extends object = object> {
  /** Each topic's sink. */
  topics: Readonly<Record<string, Sink>> | ReadonlyMap<string, Sink>;
  /** Keeps undelivered, scheduled and bulk events; its relay delivers them by topic. */
  outbox: Outbox<TEnqueueOptions>;
  /** The longest `publish` waits for a topic's target before storing the event as undelivered; 500 ms by default. */
  publishTimeoutMs?: number;
}

/**
 * Publishing by topic for services that must not lose events nor wait on their consumers:
 *
 * - `publish` sends straight to the topic's target, waiting at most `publishTimeoutMs` (500 ms);
 *   past it, or on any failure, the event is stored as undelivered in the outbox (listed,
 *   inspected, redelivered by an operator) and the call resolves `undelivered`: never lost, never thrown.
 * - `publish(…, { at | delayMs })` stores the event now and the relay delivers it not before then;
 *   `cancel(id)` withdraws it before it fires.
 * - `publishMany` stores a batch in one transaction (all or nothing) for the relay to deliver.
 * - `publish(…, { within })` and `publishMany(…, { within })` store in the caller's own
 *   PostgreSQL or SQLite transaction, so a rolled-back business write publishes nothing.
 *
 * @example
 * const topics = new DurableTopicPublisher({ topics: { orders: sink }, outbox });
 * const relay = topics.relay();
 * relay.start();
 * await topics.publish('orders', { name: 'order:placed', payload: { orderId } }, { region: 'eu' });
 */
export class DurableTopicPublisher<TEnqueueOptions extends object = object> {
  readonly outbox: Outbox<TEnqueueOptions>;
  readonly #topics: ReadonlyMap<string, Sink>;
  readonly #publishTimeoutMs: number;

  constructor(options: DurableTopicPublisherOptions<TEnqueueOptions>) {
    this.outbox = options.outbox;
    this.#topics = options.topics instanceof Map ? new Map(options.topics) : new Map(Object.entries(options.topics));
    const timeout = options.publishTimeoutMs ?? 500;
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new TopicsError(
        TopicsErrorCode.InvalidOptions,
        `publishTimeoutMs must be a positive number, got ${timeout}`,
      );
    }
    this.#publishTimeoutMs = timeout;
  }

  /** The configured topics. */
  get topics(): string[] {
    return [...this.#topics.keys()];
  }

  /**
   * Publishes a message to a topic. Resolves `delivered`, `scheduled` (with `at`/`delayMs`) or
   * `undelivered` (the target failed or was slower than the publish timeout: the event is in the
   * outbox's undelivered view).
   *
   * @throws {PublishError} `TOPIC_NOT_CONFIGURED`, or `INVALID_EVENT` for a message
   * or attributes that are not valid, as `TopicPublisher` checks them (nothing is stored then); an
   * `OutboxError` when the outbox itself cannot store the event (then the caller still holds it).
   */
  async publish(
    topic: string,
    message: TopicMessage,
    attributes?: TopicAttributes,
    options: TopicPublishOptions<TEnqueueOptions> = {},
  ): Promise<PublishOutcome> {
    const sink = this.#sinkFor(topic);
    const event = toPublishedEvent(message);
    checkContractEvent(event);
    const stored = { topic, ...(attributes === undefined ? {} : { attributes: topicAttributes(attributes) }) };
    const within = options.within ?? ({} as TEnqueueOptions);
    if (options.at !== undefined || options.delayMs !== undefined) {
      const at = options.at ?? new Date(Date.now() + (options.delayMs ?? 0));
      await this.outbox.enqueue(event, { ...within, ...stored, at });
      return { outcome: 'scheduled', event, at };
    }
    if (options.within !== undefined) {
      // Sent only once the caller commits: the relay delivers it then.
      await this.outbox.enqueue(event, { ...within, ...stored });
      return { outcome: 'queued', event };
    }
    try {
      await this.#publishWithin(sink, event, { ...stored });
      return { outcome: 'delivered', event };
    } catch (error) {
      // Outside any caller's transaction: the failure is kept even when the caller's work rolls back.
      await this.outbox.storeUndelivered(event, error, { ...({} as TEnqueueOptions), ...stored });
      return { outcome: 'undelivered', event, error };
    }
  }

  /**
   * Publishes a contract's event to a topic as {@link publish} does, its payload validated by the
   * contract before anything is sent or stored.
   *
   * @example
   * await topics.publishEvent('orders', orderPlaced, { orderId, total }, { attributes: { region: 'eu' } });
   * @throws {PublishError} `INVALID_EVENT` with `issues` (nothing sent or stored), or as {@link publish}.
   */
  async publishEvent<TContract extends PublishedEventContract>(
    topic: string,
    contract: TContract,
    payload: PublishedPayloadInput<TContract>,
    options: TopicPublishOptions<TEnqueueOptions> & {
      attributes?: TopicAttributes;
      fields?: PublishedEventFields;
    } = {},
  ): Promise<PublishOutcome> {
    const { attributes, fields, ...publishOptions } = options;
    this.#sinkFor(topic);
    return this.publish(topic, publishedEventOf(contract, payload, fields), attributes, publishOptions);
  }

  /**
   * Stores messages for a topic in one transaction, all or none, for the relay to deliver; at
   * most `maxBatchSize` (1,000) of them. Resolves to the events as stored. With `within`, they
   * are stored in the caller's open transaction.
   *
   * @throws {PublishError} `TOPIC_NOT_CONFIGURED`; `OutboxError` `BATCH_TOO_LARGE`, `INVALID_EVENT`
   * or `ENQUEUE_FAILED`, with nothing stored.
   */
  async publishMany(
    topic: string,
    messages: readonly TopicMessage[],
    attributes?: TopicAttributes,
    options: { within?: TEnqueueOptions } = {},
  ): Promise<PublishedEvent[]> {
    this.#sinkFor(topic);
    const events = messages.map(toPublishedEvent);
    const stored = attributes === undefined ? {} : { attributes: topicAttributes(attributes) };
    await this.outbox.enqueueMany(events, { ...(options.within ?? ({} as TEnqueueOptions)), topic, ...stored });
    return events;
  }

  /** Withdraws a scheduled event before it fires: `true` when it will never be delivered. */
  cancel(id: string): Promise<boolean> {
    return this.outbox.cancel(id);
  }

  /** A relay delivering the outbox's events to their topics' targets (not started). */
  relay(options: Omit<OutboxRelayOptions, 'store' | 'sink'> = {}): OutboxRelay {
    return this.outbox.relay({ ...options, sink: this.routingSink() });
  }

  /**
   * A sink that publishes each event to its topic's target: what the relay delivers through. A
   * batch goes to each topic's target as one batch when the target takes batches (one pipeline of
   * XADD for a Redis stream), event by event otherwise.
   */
  routingSink(): Sink {
    const sinkOf = (event: PublishedEvent, topic: string | undefined): Sink => {
      if (topic === undefined)
        throw new PublishError(PublishErrorCode.TopicNotConfigured, `event ${event.id} has no topic`);
      return this.#sinkFor(topic);
    };
    return {
      name: 'topics',
      publish: async (event, options = {}) => sinkOf(event, options.topic).publish(event, options),
      publishBatch: async (batch) => {
        const outcomes = new Array<PromiseSettledResult<Awaited<ReturnType<Sink['publish']>>>>(batch.length);
        const bySink = new Map<Sink, number[]>();
        for (const [index, item] of batch.entries()) {
          try {
            const sink = sinkOf(item.event, item.options?.topic);
            bySink.set(sink, [...(bySink.get(sink) ?? []), index]);
          } catch (error) {
            outcomes[index] = { status: 'rejected', reason: error };
          }
        }
        await Promise.all(
          [...bySink].map(async ([sink, indexes]) => {
            const items = indexes.map((index) => batch[index] as BatchItem);
            const settled =
              sink.publishBatch === undefined
                ? await Promise.allSettled(items.map((item) => sink.publish(item.event, item.options)))
                : await sink.publishBatch(items);
            for (const [position, index] of indexes.entries()) {
              outcomes[index] = settled[position] ?? { status: 'rejected', reason: new Error('no outcome') };
            }
          }),
        );
        return outcomes;
      },
      healthCheck: async () =>
        (await Promise.all([...this.#topics.values()].map((sink) => sink.healthCheck()))).every(Boolean),
    };
  }

  /** Closes every distinct sink (not the outbox, which its owner closes). */
  async close(): Promise<void> {
    await Promise.all([...new Set(this.#topics.values())].map(async (sink) => sink.close?.()));
  }

  #sinkFor(topic: string): Sink {
    const sink = this.#topics.get(topic);
    if (sink === undefined) {
      throw new PublishError(
        PublishErrorCode.TopicNotConfigured,
        `topic '${topic}' is not configured (configured: ${this.topics.join(', ') || 'none'})`,
      );
    }
    return sink;
  }

  /** The sink's publish, bounded in time: aborted through its signal, and not waited for past the timeout. */
  async #publishWithin(sink: Sink, event: PublishedEvent, options: PublishOptions): Promise<void> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`topic target did not take the event within ${this.#publishTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, this.#publishTimeoutMs);
    });
    const publishing = sink.publish(event, { ...options, signal: controller.signal });
    // Past the timeout the sink's own rejection (aborted) is no longer anyone's business.
    publishing.catch(() => undefined);
    try {
      await Promise.race([publishing, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
