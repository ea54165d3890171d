import type {
  PublishedEventContract,
  PublishedEventFields,
  PublishedEventOf,
  PublishedPayloadInput,
} from '@events-protocol/core';
import { toPublishedEvent, type PublishedEventInit } from './published-event.js';
import { PublishError, PublishErrorCode } from './publish-error.js';
import type { PublishedEvent, Sink } from './sink.js';
import { topicAttributes, type TopicAttributes } from './topic-attributes.js';
import { checkContractEvent, publishedEventOf } from './typed-published-event.js';

/** A message to publish: a ready event, or what {@link createPublishedEvent} needs to make one. */
export type TopicMessage = PublishedEvent | PublishedEventInit;

/**
 * Publishing by topic: each topic routes to a sink (an HTTP target, a Redis stream, an outbox in
 * front of either…). `publish(topic, message, attributes)` resolves when the topic's sink took the
 * event; a topic that is not configured is a `TOPIC_NOT_CONFIGURED` error, never a silent drop.
 *
 * @example
 * const topics = new TopicPublisher({ orders: new RedisStreamSink({ redis }), billing: new HttpSink({ url }) });
 * await topics.publish('orders', { name: 'order:placed', payload: { orderId } }, { region: 'eu' });
 */
export class TopicPublisher {
  readonly #routes: ReadonlyMap<string, Sink>;

  constructor(routes: Readonly<Record<string, Sink>> | ReadonlyMap<string, Sink>) {
    this.#routes = routes instanceof Map ? new Map(routes) : new Map(Object.entries(routes));
  }

  /** The configured topics. */
  get topics(): string[] {
    return [...this.#routes.keys()];
  }

  /** The sink of a topic. @throws {PublishError} `TOPIC_NOT_CONFIGURED`. */
  sinkFor(topic: string): Sink {
    const sink = this.#routes.get(topic);
    if (sink === undefined) {
      throw new PublishError(
        PublishErrorCode.TopicNotConfigured,
        `topic '${topic}' is not configured (configured: ${this.topics.join(', ') || 'none'})`,
      );
    }
    return sink;
  }

  /**
   * Publishes a message to a topic with optional attributes; resolves to the event as published
   * (with its id, to correlate or deduplicate). The message must be an object with a non-empty
   * `name`. Attribute values reach every sink as the same strings (`3` → `'3'`, `true` →
   * `'true'`), their keys in lowercase.
   *
   * @throws {PublishError} `TOPIC_NOT_CONFIGURED`; `INVALID_EVENT` for a message or attributes
   * that are not valid (nothing is published then); or whatever the topic's sink rejects with.
   */
  async publish(
    topic: string,
    message: TopicMessage,
    attributes?: TopicAttributes,
    options: { signal?: AbortSignal } = {},
  ): Promise<PublishedEvent> {
    const sink = this.sinkFor(topic);
    const event = toPublishedEvent(message);
    checkContractEvent(event);
    const strings = attributes === undefined ? {} : { attributes: topicAttributes(attributes) };
    await sink.publish(event, { topic, ...strings, ...options });
    return event;
  }

  /**
   * Publishes a contract's event to a topic: the payload is validated by the contract before the
   * topic's sink sees it. Resolves to the typed event as published.
   *
   * @example
   * await topics.publishEvent('orders', orderPlaced, { orderId: '42', total: 9.5 }, { attributes: { region: 'eu' } });
   * @throws {PublishError} `INVALID_EVENT` with `issues` (nothing published), or as {@link publish}.
   */
  async publishEvent<TContract extends PublishedEventContract>(
    topic: string,
    contract: TContract,
    payload: PublishedPayloadInput<TContract>,
    options: { attributes?: TopicAttributes; fields?: PublishedEventFields; signal?: AbortSignal } = {},
  ): Promise<PublishedEventOf<TContract>> {
    const event = publishedEventOf(contract, payload, options.fields);
    const { attributes, signal } = options;
    await this.publish(topic, event, attributes, signal === undefined ? {} : { signal });
    return event;
  }

  /** Closes every distinct sink. */
  async close(): Promise<void> {
    await Promise.all([...new Set(this.#routes.values())].map(async (sink) => sink.close?.()));
  }
}
