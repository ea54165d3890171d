import { EventClient, type EventClientOptions } from '@events-protocol/client';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { throwIfAborted } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import type { PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** How an {@link EventsProtocolSink} reaches its server: a client, or the client's options. */
export type EventsProtocolSinkOptions =
  { client: EventClient; name?: string } | (EventClientOptions & { name?: string });

/**
 * Publishes by sending each event to an events-protocol server with `EventClient`: the same id,
 * flowId, payload, identity and auth, with `createdAt`, the topic and the attributes added to
 * `metadata`. A `<name>:response` is success; an error event is `REJECTED`, a timeout `TIMEOUT`,
 * an unreachable server `UNREACHABLE`.
 */
export class EventsProtocolSink implements Sink {
  readonly name: string;
  readonly #client: EventClient;
  readonly #ownsClient: boolean;
  readonly #lifecycle: SinkLifecycle;

  constructor(options: EventsProtocolSinkOptions) {
    this.#ownsClient = !('client' in options);
    this.#client = 'client' in options ? options.client : new EventClient(options);
    const url = 'client' in options ? undefined : options.url;
    this.name = options.name ?? (url === undefined ? 'events-protocol' : `events:${url}`);
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    this.#lifecycle.assertOpen();
    throwIfAborted(options.signal, this.name);
    const metadata = {
      ...event.metadata,
      createdAt: event.createdAt,
      ...(options.topic === undefined ? {} : { topic: options.topic }),
      ...(options.attributes === undefined ? {} : { attributes: { ...options.attributes } }),
    };
    let result;
    try {
      result = await this.#client.sendEvent({
        name: event.name,
        version: event.version,
        id: event.id,
        flowId: event.flowId,
        payload: event.payload,
        identity: event.identity,
        auth: event.auth,
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
    switch (result.kind) {
      case 'success':
        return;
      case 'error':
        throw new PublishError(PublishErrorCode.Rejected, `${this.name} answered ${result.event.name}`, {
          cause: result.event,
          sink: this.name,
        });
      case 'timeout':
        throw new PublishError(PublishErrorCode.Timeout, `${this.name}: no answer within ${result.timeoutMs} ms`, {
          sink: this.name,
        });
      case 'failedDependency':
        throw new PublishError(
          result.reason === 'unreachable' ? PublishErrorCode.Unreachable : PublishErrorCode.Rejected,
          `${this.name}: ${result.reason}${result.status === undefined ? '' : ` (HTTP ${result.status})`}`,
          { cause: result.cause ?? result.body, sink: this.name },
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
