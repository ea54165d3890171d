import type { EventProcessor } from '../event-processor.js';
import type { EventRegistry } from '../event-registry.js';
import type { ConsumeOptions } from './consume-options.js';
import { StreamConsumer } from './stream-consumer.js';
import type { StreamSource } from './stream-source.js';

/**
 * Runs the same typed handlers that answer HTTP calls on the events of a stream: a Redis Streams
 * consumer group (`RedisStreamSource`), a JetStream durable consumer (`JetStreamSource` from
 * `@events-protocol/nats`), or any {@link StreamSource}. Each message goes through the processor
 * (middleware, validation, timeouts) with `context.transport` `{ kind: 'stream', subject,
 * headers }`, and is settled only once answered: a success is acknowledged; `<name>:error` is
 * retried on the outbox's schedules and dead-lettered once the budget is spent; a typed error
 * (`badRequest`, `eventNotFound`, `badProtocol`…) is dead-lettered at once. A redelivered event
 * already handled is acknowledged without running again. At-least-once: a consumer killed
 * mid-handler loses nothing, its messages come back after the source's lease.
 *
 * @example
 * const consumer = consume(registry, new RedisStreamSource(redis, { stream: 'events:orders', group: 'billing' }));
 * process.on('SIGTERM', () => void consumer.close());
 *
 * @throws {ServerError} `INVALID_OPTIONS` for bad options.
 */
export function consume(
  handlers: EventRegistry | EventProcessor,
  source: StreamSource,
  options: ConsumeOptions = {},
): StreamConsumer {
  return new StreamConsumer(handlers, source, options);
}
