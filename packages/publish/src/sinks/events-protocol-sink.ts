import { EventClient, type EventClientOptions, type SendResult } from '@events-protocol/client';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { checkPublishOptions } from '../check-publish-options.js';
import { outgoingEvent, serializeValue, type OutgoingFields } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import { responseExcerpt } from '../response-excerpt.js';
import type { DeliveryReport, PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** What an {@link EventsProtocolSink} sends on besides the event: both off by default. */
export interface EventsProtocolSinkForwarding {
  name?: string;
  /** Send the event's `identity` (otherwise `{}`). */
  includeIdentity?: boolean;
  /**
   * Send the event's `auth` (otherwise `{}`): only for a server of your own that acts with the
   * caller's credentials. No other sink ever sends `auth`.
   */
  forwardAuth?: boolean;
}

/** How an {@link EventsProtocolSink} reaches its server: a client, or the client's options. */
export type EventsProtocolSinkOptions =
  ({ client: EventClient } & EventsProtocolSinkForwarding) | (EventClientOptions & EventsProtocolSinkForwarding);

/** The answer event as an excerpt: its name and payload (never its identity or auth), at most 2 KiB. */
function answerExcerpt(result: Extract<SendResult, { event: unknown }>, sink: string): string {
  try {
    return responseExcerpt(serializeValue({ name: result.event.name, payload: result.event.payload }, sink));
  } catch {
    return responseExcerpt(result.event.name);
  }
}

/**
 * Publishes by sending each event to an events-protocol server with `EventClient`: the same id,
 * flowId and payload, with `createdAt`, the topic and the attributes added to `metadata`;
 * `identity` only with `includeIdentity`, `auth` only with `forwardAuth` (`{}` otherwise).
 * A `<name>:response` is success and resolves a {@link DeliveryReport} (the answer's name and
 * payload as excerpt); an error event is `REJECTED` with the same excerpt, a timeout `TIMEOUT`, an
 * unreachable server `UNREACHABLE`, a non-2xx answer `REJECTED` with its `status`, the start of its
 * body and, on 429 and 503, the `retryAfterMs` the client read from `Retry-After`.
 */
export class EventsProtocolSink implements Sink {
  readonly name: string;
  readonly #client: EventClient;
  readonly #ownsClient: boolean;
  readonly #fields: OutgoingFields;
  /** Whether the events it sends carry their `auth` (`forwardAuth`); an outbox in front keeps `auth` only then. */
  readonly forwardsAuth: boolean;
  readonly #lifecycle: SinkLifecycle;

  constructor(options: EventsProtocolSinkOptions) {
    this.#ownsClient = !('client' in options);
    const { name: _name, includeIdentity, forwardAuth, ...clientOptions } = options;
    this.#client = 'client' in options ? options.client : new EventClient(clientOptions as EventClientOptions);
    this.forwardsAuth = forwardAuth === true;
    this.#fields = { identity: includeIdentity === true, auth: this.forwardsAuth };
    const url = 'client' in options ? undefined : options.url;
    this.name = options.name ?? (url === undefined ? 'events-protocol' : `events:${url}`);
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<DeliveryReport> {
    this.#lifecycle.assertOpen();
    checkPublishOptions(options, this.name);
    const outgoing = outgoingEvent(event, this.#fields);
    const metadata = {
      ...event.metadata,
      createdAt: event.createdAt,
      ...(options.topic === undefined ? {} : { topic: options.topic }),
      ...(options.attributes === undefined ? {} : { attributes: { ...options.attributes } }),
    };
    // The client writes JSON as JSON.stringify does; refuse first what it would drop or change.
    serializeValue({ ...outgoing, metadata }, this.name);
    let result;
    try {
      result = await this.#client.sendEvent({
        name: event.name,
        version: event.version,
        id: event.id,
        flowId: event.flowId,
        payload: event.payload,
        identity: outgoing.identity,
        auth: outgoing.auth,
        metadata,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      const aborted = options.signal?.aborted === true;
      throw new PublishError(
        aborted ? PublishErrorCode.Aborted : PublishErrorCode.SerializationFailed,
        `${this.name}: ${(error as Error).message}`,
        {
          cause: error,
          sink: this.name,
        },
      );
    }
    return this.#outcome(result);
  }

  /** What a result means for the delivery: its report, or the failure thrown. */
  #outcome(result: SendResult): DeliveryReport {
    switch (result.kind) {
      case 'success':
        // The client tells no status with an answer event (any 2xx carries one): the excerpt is the report.
        return { responseExcerpt: answerExcerpt(result, this.name) };
      case 'error':
        throw new PublishError(PublishErrorCode.Rejected, `${this.name} answered ${result.event.name}`, {
          cause: result.event,
          sink: this.name,
          responseExcerpt: answerExcerpt(result, this.name),
        });
      case 'timeout':
        throw new PublishError(PublishErrorCode.Timeout, `${this.name}: no answer within ${result.timeoutMs} ms`, {
          sink: this.name,
        });
      case 'failedDependency':
        throw new PublishError(
          result.reason === 'unreachable' ? PublishErrorCode.Unreachable : PublishErrorCode.Rejected,
          `${this.name}: ${result.reason}${result.status === undefined ? '' : ` (HTTP ${result.status})`}`,
          {
            cause: result.cause ?? result.body,
            sink: this.name,
            status: result.status,
            responseExcerpt: result.body === undefined ? undefined : responseExcerpt(result.body),
            retryAfterMs: result.retryAfterMs,
          },
        );
    }
  }

  /** Healthy when the server answers an event at all (an `eventNotFound` for a probe counts). */
  async healthCheck(): Promise<boolean> {
    try {
      const result = await this.#client.sendEvent({ name: 'health:probe', timeout: 2000 });
      return result.kind === 'success' || result.kind === 'error';
    } catch {
      return false;
    }
  }

  /** Closes the client it opened (not one it was given); later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      if (this.#ownsClient) await this.#client.close();
    });
  }
}
