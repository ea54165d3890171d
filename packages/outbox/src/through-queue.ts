import type { PublishedEvent, PublishOptions, Sink } from '@events-protocol/publish';
import { Outbox } from './outbox.js';
import type { OutboxRelay } from './outbox-relay.js';
import type { OutboxRelayOptions } from './relay-options.js';
import type { OutboxStore } from './outbox-store.js';

/** Options of {@link throughQueue}. */
export interface ThroughQueueOptions extends Omit<OutboxRelayOptions, 'store' | 'sink'> {
  /**
   * Whether to run a relay in this process (the default). `false` only enqueues, for
   * applications whose relays run elsewhere.
   */
  relay?: boolean;
}

/** A sink whose `publish` enqueues into an outbox; a relay delivers to the wrapped sink. */
export interface QueuedSink extends Sink {
  readonly outbox: Outbox;
  /** The in-process relay, when it runs. */
  readonly relay: OutboxRelay | undefined;
  /** Stops the relay (waiting for the batch in flight) and closes the wrapped sink; not the store. */
  close(): Promise<void>;
}

/**
 * Wraps a sink so that it is durable: `publish` resolves once the event is stored in the outbox,
 * and a relay delivers it to `sink` with retries. Same `Sink` interface, nothing lost when the
 * target is down or the process dies.
 *
 * @example
 * import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
 * const sink = throughQueue(new HttpSink({ url }), new SqliteOutboxStore({ filename: 'outbox.db' }));
 * await sink.publish(event, { topic: 'orders' }); // stored; delivered by the relay
 * await sink.close();
 */
export function throughQueue(sink: Sink, store: OutboxStore, options: ThroughQueueOptions = {}): QueuedSink {
  const { relay: runRelay = true, ...relayOptions } = options;
  const outbox = new Outbox({
    store,
    keepAuth: sink.forwardsAuth === true,
    ...(relayOptions.clock === undefined ? {} : { clock: relayOptions.clock }),
  });
  const relay = runRelay ? outbox.relay({ ...relayOptions, sink }) : undefined;
  relay?.start();
  return {
    name: `queue(${sink.name})`,
    outbox,
    relay,
    async publish(event: PublishedEvent, publishOptions?: PublishOptions): Promise<void> {
      await outbox.enqueue(event, publishOptions);
    },
    healthCheck(): Promise<boolean> {
      return store.healthCheck();
    },
    async close(): Promise<void> {
      await relay?.stop();
      await sink.close?.();
    },
  };
}
