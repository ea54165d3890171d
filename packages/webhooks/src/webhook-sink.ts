import type { PublishedEvent, PublishOptions, Sink } from '@events-protocol/publish';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/**
 * Webhooks as a publish {@link Sink}: `publish` resolves once the event is recorded for every
 * subscriber (durable in the store; the dispatcher delivers and retries), so webhooks sit behind a
 * TopicPublisher, a CompositeSink or an outbox like any other destination. Closing the sink does
 * not close the dispatcher, which its owner closes.
 */
export class WebhookSink implements Sink {
  readonly name = 'webhooks';
  readonly #dispatcher: WebhookDispatcher;

  constructor(dispatcher: WebhookDispatcher) {
    this.#dispatcher = dispatcher;
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    await this.#dispatcher.deliverEvent(event);
  }

  async healthCheck(): Promise<boolean> {
    return this.#dispatcher.healthCheck();
  }
}
