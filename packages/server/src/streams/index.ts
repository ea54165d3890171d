/**
 * `@events-protocol/server/streams`: run the same handlers on stream events. `consume` takes a
 * registry (or a processor) and a {@link StreamSource}: `RedisStreamSource` here, `JetStreamSource`
 * in `@events-protocol/nats`. No broker client is loaded: sources take yours.
 */
export { consume } from './consume.js';
export { StreamConsumer } from './stream-consumer.js';
export type { StreamConsumerStats } from './stream-consumer.js';
export { defaultStreamRetrySchedule } from './consume-options.js';
export type { ConsumeOptions } from './consume-options.js';
export { RedisStreamSource } from './redis-stream-source.js';
export type { RedisStreamSourceOptions, StreamRedisClient } from './redis-stream-source.js';

// For authors of sources: what a source implements, and how the consumer reads and settles messages.
export type { StreamSource, StreamMessage, DeadLetter, DeadLetterReason } from './stream-source.js';
export { streamOutcomeOf } from './stream-outcome.js';
export type { StreamOutcome } from './stream-outcome.js';
export { readStreamEvent } from './stream-event.js';
export type { StreamEvent } from './stream-event.js';
