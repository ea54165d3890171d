import type { EventEnvelope } from '@events-protocol/core';

/** One event of a {@link Sink.publishBatch}, with its own options. */
export interface BatchItem {
  readonly event: PublishedEvent;
  readonly options?: PublishOptions;
}

/**
 * An event as it is published to other systems: the protocol's eight fields plus the time it was
 * created. `id` is the deduplication key downstream: it stays the same through every redelivery.
 */
export interface PublishedEvent<TPayload = unknown> extends EventEnvelope<TPayload> {
  /** When the event was created, as an ISO-8601 timestamp. */
  createdAt: string;
}

/** Per-call publishing options. */
export interface PublishOptions {
  /** The topic the event is published under, for sinks that route by topic. */
  topic?: string;
  /** String attributes that travel with the event: headers over HTTP, fields in Redis. */
  attributes?: Readonly<Record<string, string>>;
  /** Cancels the publish; the sink rejects with an aborted error. */
  signal?: AbortSignal;
}

/**
 * What a sink may report of a delivery that worked, recorded with the attempt (the outbox keeps it
 * for operators). A failed delivery reports the same through its {@link PublishError}.
 */
export interface DeliveryReport {
  /** The target's answer status (an HTTP status). */
  readonly status?: number;
  /** The start of the target's answer, at most 2 KiB. */
  readonly responseExcerpt?: string;
}

/**
 * Where published events go: a webhook, a Redis stream, a file, a test recorder, another
 * events-protocol server, or a durable queue in front of any of them.
 *
 * The contract: `publish` resolves once the sink has taken the event (it is delivered, or stored
 * somewhere durable that will deliver it), and rejects with a typed error when it could not, so
 * the caller still holds the event. `healthCheck` never throws.
 */
export interface Sink {
  /** A short name for logs and health reports. */
  readonly name: string;
  /**
   * Hands one event to the sink; sinks that learn how the target answered resolve a
   * {@link DeliveryReport}, others nothing.
   */
  // `void` keeps sinks written as `async publish(): Promise<void>` valid sinks.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  publish(event: PublishedEvent, options?: PublishOptions): Promise<void | DeliveryReport>;
  /**
   * Hands several events to the sink at once (one pipeline, one round trip) and resolves to one
   * outcome per event, in order; never rejects as a whole. Optional: a relay with a batch of
   * events uses it when the sink has it, and publishes one by one otherwise.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- as for `publish`
  publishBatch?(batch: readonly BatchItem[]): Promise<PromiseSettledResult<void | DeliveryReport>[]>;
  /**
   * Whether the sink sends an event's `auth` on (only an `EventsProtocolSink` with `forwardAuth`).
   * An outbox in front of the sink (`throughQueue`) stores `auth` only then.
   */
  readonly forwardsAuth?: boolean;
  /** Whether the sink can currently take events; `false` rather than an exception. */
  healthCheck(): Promise<boolean>;
  /** Releases connections and timers; optional for sinks that hold none. */
  close?(): Promise<void>;
}
