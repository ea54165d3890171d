/**
 * The Redis outbox store: `@events-protocol/outbox/redis`. The only entry of the package that
 * loads ioredis, an optional peer dependency.
 *
 * @packageDocumentation
 */
export { RedisOutboxStore } from './redis-outbox-store.js';
export type { RedisOutboxStoreOptions } from './redis-outbox-store.js';
