/**
 * `@events-protocol/publish/redis`: the Redis stream sink. It is its own entry so that the main
 * entry loads no Redis client: install `ioredis` (an optional peer) only where you import this.
 */
export { RedisStreamSink, eventField, attributeFieldPrefix } from './redis-stream-sink.js';
export type { RedisStreamSinkOptions } from './redis-stream-sink.js';
export { cloudEventEntryFields, cloudEventStreamMaxLength } from './redis-cloud-event-entry.js';
