import { PublishError, PublishErrorCode, type PublishedEvent } from '@events-protocol/publish';
import type { ConnectionOptions } from '@nats-io/nats-core';
import type { NatsLogger } from './check-stream-durability.js';
import type { NatsConnectionSource } from './nats-connection-holder.js';

/** How a {@link JetStreamSink} connects, where it publishes and how it writes. */
export interface JetStreamSinkOptions {
  /**
   * A connected `NatsConnection` (the sink never closes it), or the server URLs of one the sink
   * opens and drains on close: `nats://127.0.0.1:4222`, a comma-separated list, or an array.
   */
  connection: NatsConnectionSource;
  /** Options for a connection the sink opens itself (credentials, TLS, name). */
  connectionOptions?: Omit<ConnectionOptions, 'servers'>;
  /** The subject of an event: `events.<topic>` by default, or `events` without a topic. */
  subject?: (topic: string | undefined, event: PublishedEvent) => string;
  /**
   * The stream the subjects belong to: every PubAck must come from it (`expect.streamName`), and
   * {@link JetStreamSink.open} checks its durability at start-up.
   */
  stream?: string;
  /** How long a publish waits for its PubAck, in ms; 5 s by default. */
  timeoutMs?: number;
  /**
   * `event` (the default): the body is the event as JSON. `cloudevent`: a structured JSON
   * CloudEvent 1.0 with the topic as `subject`, as the other events-protocol libraries read it.
   */
  layout?: 'event' | 'cloudevent';
  /** The CloudEvents `source` of the `cloudevent` layout (required there), e.g. `/orders-service`. */
  source?: string;
  /** Write the event's `identity`; off by default (`{}`). `auth` is never written. */
  includeIdentity?: boolean;
  /** The sink's name in logs and health reports; `jetstream` by default. */
  name?: string;
  /** Where the durability check and other warnings go (pino-compatible); silent by default. */
  logger?: NatsLogger;
  /** The servers' `jetstream { sync_interval }` as configured (`always`), for the durability check. */
  syncInterval?: string;
}

/** {@link JetStreamSinkOptions} checked, with defaults filled in. */
export interface CheckedJetStreamSinkOptions {
  readonly name: string;
  readonly subject: (topic: string | undefined, event: PublishedEvent) => string;
  readonly stream: string | undefined;
  readonly timeoutMs: number;
  readonly cloudEventSource: string | undefined;
  readonly includeIdentity: boolean;
}

/** The default subject of a topic: `events.<topic>`, or `events` without one. */
export function defaultJetStreamSubject(topic: string | undefined): string {
  return topic === undefined ? 'events' : `events.${topic}`;
}

/**
 * Checks a sink's options before it opens anything.
 *
 * @throws {PublishError} `INVALID_OPTIONS` for a timeout that is not a positive number, a
 * `cloudevent` layout without a source, or no connection.
 */
export function checkJetStreamSinkOptions(options: JetStreamSinkOptions): CheckedJetStreamSinkOptions {
  const name = options.name ?? 'jetstream';
  const invalid = (message: string): PublishError =>
    new PublishError(PublishErrorCode.InvalidOptions, `${name}: ${message}`, { sink: name });
  // Checked as unknown: JavaScript callers and configuration files can pass anything.
  const connection: unknown = options.connection;
  const layout: unknown = options.layout;
  if (
    connection === undefined ||
    connection === null ||
    connection === '' ||
    (Array.isArray(connection) && connection.length === 0)
  ) {
    throw invalid('connection must be a NatsConnection or the URL of a NATS server');
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw invalid(`timeoutMs must be a positive number, got ${timeoutMs}`);
  let cloudEventSource: string | undefined;
  if (layout === 'cloudevent') {
    if (typeof options.source !== 'string' || options.source.length === 0) {
      throw invalid("layout 'cloudevent' needs a source: a URI-reference naming the publisher, e.g. '/orders-service'");
    }
    cloudEventSource = options.source;
  } else if (layout !== undefined && layout !== 'event') {
    throw invalid(`layout must be 'event' or 'cloudevent', got ${JSON.stringify(layout)}`);
  }
  return {
    name,
    subject: options.subject ?? defaultJetStreamSubject,
    stream: options.stream,
    timeoutMs,
    cloudEventSource,
    includeIdentity: options.includeIdentity === true,
  };
}
