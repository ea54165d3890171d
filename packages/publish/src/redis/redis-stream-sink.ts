import { Redis, type RedisOptions } from 'ioredis';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { checkPublishOptions } from '../check-publish-options.js';
import { serializeEvent } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import { cloudEventEntry, cloudEventSourceOption, cloudEventStreamMaxLength } from './redis-cloud-event-entry.js';
import type { BatchItem, PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** How a {@link RedisStreamSink} connects and where it writes. */
export interface RedisStreamSinkOptions {
  /** A connected ioredis client (not closed by the sink), or a `redis://` URL to open one. */
  redis: Redis | string;
  /**
   * The stream of an event: one per topic by default (`events:<topic>`, or `events` without a
   * topic); return a constant for one stream.
   */
  stream?: (topic: string | undefined, event: PublishedEvent) => string;
  /**
   * Trims each stream to about this many entries (`XADD … MAXLEN ~ n`); no trimming by default
   * in the `event` layout, 10,000 in the `cloudevent` layout.
   */
  maxLength?: number;
  /**
   * The fields of each entry: `event` (the default, described on the class), or `cloudevent`, as
   * consumers of the other events-protocol libraries' Redis backend read them: `event_id`,
   * `event_type`, `source`, `timestamp` (ISO 8601), `cloud_event` (the event as a JSON CloudEvent
   * 1.0, the topic as its `subject`), then each attribute as a field of its own name.
   */
  layout?: 'event' | 'cloudevent';
  /** The CloudEvents `source` of the `cloudevent` layout (required there), e.g. `/orders-service`. */
  source?: string;
  /** How long a publish may wait for Redis, in ms; 5 s by default. */
  timeoutMs?: number;
  /** Extra ioredis options when the sink opens its own connection from a URL. */
  redisOptions?: RedisOptions;
  /** Write the event's `identity` in the `event` field; off by default (`{}`). `auth` is never written. */
  includeIdentity?: boolean;
}

/** The stream field that holds the whole event as JSON. */
export const eventField = 'event';
/** The prefix of stream fields that hold attributes. */
export const attributeFieldPrefix = 'attr:';

function defaultStream(topic: string | undefined): string {
  return topic === undefined ? 'events' : `events:${topic}`;
}

/**
 * Appends events to Redis streams with `XADD`. Fields of each entry in the default `event`
 * layout (see {@link RedisStreamSinkOptions.layout} for the other): `id`, `name`,
 * `version`, `flowId`, `createdAt` (for consumers that filter without parsing), `event` (the whole
 * event as JSON, 64-bit integers exact), and one `attr:<key>` field per attribute. The entry id is
 * Redis's own (`*`); the event `id` is the deduplication key.
 *
 * ioredis is the client: mature streams and pipelining support, automatic reconnection with an
 * offline queue, and TypeScript types.
 */
export class RedisStreamSink implements Sink {
  readonly name: string;
  readonly #redis: Redis;
  readonly #ownsConnection: boolean;
  readonly #stream: (topic: string | undefined, event: PublishedEvent) => string;
  readonly #maxLength: number | undefined;
  /** The CloudEvents source in the `cloudevent` layout; `undefined` in the `event` layout. */
  readonly #cloudEventSource: string | undefined;
  readonly #timeoutMs: number;
  readonly #includeIdentity: boolean;
  readonly #lifecycle: SinkLifecycle;

  constructor(options: RedisStreamSinkOptions) {
    this.#stream = options.stream ?? defaultStream;
    this.#cloudEventSource = options.layout === 'cloudevent' ? cloudEventSourceOption(options.source) : undefined;
    this.#maxLength =
      options.maxLength ?? (this.#cloudEventSource === undefined ? undefined : cloudEventStreamMaxLength);
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#includeIdentity = options.includeIdentity === true;
    if (this.#maxLength !== undefined && !(Number.isSafeInteger(this.#maxLength) && this.#maxLength > 0)) {
      throw new PublishError(PublishErrorCode.InvalidOptions, 'maxLength must be a positive integer');
    }
    // Opened only once the options are known to be good, so a refused sink leaves no connection behind.
    this.#ownsConnection = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { maxRetriesPerRequest: 2, ...options.redisOptions })
        : options.redis;
    // Connection errors surface as rejected publishes and failed health checks, not as process noise.
    if (this.#ownsConnection) this.#redis.on('error', () => undefined);
    this.name = 'redis-stream';
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  /** The stream an event goes to. */
  streamOf(event: PublishedEvent, topic?: string): string {
    return this.#stream(topic, event);
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    this.#lifecycle.assertOpen();
    checkPublishOptions(options, this.name);
    const [stream, args] = this.#xaddArguments(event, options);
    await this.#withTimeout(this.#redis.xadd(stream, ...args), `XADD ${stream}`);
  }

  /** Every XADD of the batch in one pipeline: one round trip, one outcome per event. */
  async publishBatch(batch: readonly BatchItem[]): Promise<PromiseSettledResult<void>[]> {
    if (this.#lifecycle.closed) return batch.map(() => ({ status: 'rejected', reason: this.#lifecycle.closedError() }));
    const outcomes: (PromiseSettledResult<void> | undefined)[] = [];
    const pipeline = this.#redis.pipeline();
    const sent: number[] = [];
    for (const [index, { event, options = {} }] of batch.entries()) {
      try {
        checkPublishOptions(options, this.name);
        const [stream, args] = this.#xaddArguments(event, options);
        pipeline.xadd(stream, ...args);
        sent.push(index);
      } catch (error) {
        outcomes[index] = { status: 'rejected', reason: error };
      }
    }
    if (sent.length > 0) {
      try {
        const replies = (await this.#withTimeout(pipeline.exec(), `a pipeline of ${sent.length} XADD`)) ?? [];
        for (const [position, index] of sent.entries()) {
          const error = replies[position]?.[0];
          outcomes[index] =
            error === null || error === undefined
              ? { status: 'fulfilled', value: undefined }
              : {
                  status: 'rejected',
                  reason: new PublishError(PublishErrorCode.Rejected, `${this.name}: XADD failed`, {
                    cause: error,
                    sink: this.name,
                  }),
                };
        }
      } catch (error) {
        for (const index of sent) outcomes[index] = { status: 'rejected', reason: error };
      }
    }
    return outcomes.map((outcome) => outcome ?? { status: 'rejected', reason: new Error('not sent') });
  }

  /** The stream and the XADD arguments (trim, id, fields) of one event. */
  #xaddArguments(event: PublishedEvent, options: PublishOptions): [stream: string, args: string[]] {
    const trim = this.#maxLength === undefined ? [] : ['MAXLEN', '~', String(this.#maxLength)];
    if (this.#cloudEventSource !== undefined) {
      const entry = cloudEventEntry(event, options, this.#cloudEventSource, this.name);
      return [this.#stream(options.topic, event), [...trim, '*', ...entry]];
    }
    const fields = [
      'id',
      event.id,
      'name',
      event.name,
      'version',
      String(event.version),
      'flowId',
      event.flowId,
      'createdAt',
      event.createdAt,
      eventField,
      serializeEvent(event, this.name, { identity: this.#includeIdentity }),
    ];
    for (const [key, value] of Object.entries(options.attributes ?? {}))
      fields.push(`${attributeFieldPrefix}${key}`, value);
    return [this.#stream(options.topic, event), [...trim, '*', ...fields]];
  }

  async healthCheck(): Promise<boolean> {
    try {
      await this.#withTimeout(this.#redis.ping(), 'PING');
      return true;
    } catch {
      return false;
    }
  }

  /** Quits the connection it opened (not one it was given); later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      if (this.#ownsConnection) await this.#redis.quit().catch(() => this.#redis.disconnect());
    });
  }

  #withTimeout<TResult>(command: Promise<TResult>, what: string): Promise<TResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new PublishError(PublishErrorCode.Timeout, `${this.name}: ${what} took over ${this.#timeoutMs} ms`, {
            sink: this.name,
          }),
        );
      }, this.#timeoutMs);
      command.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(
            new PublishError(PublishErrorCode.Unreachable, `${this.name}: ${what} failed`, {
              cause: error,
              sink: this.name,
            }),
          );
        },
      );
    });
  }
}
