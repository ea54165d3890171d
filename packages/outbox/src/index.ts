export { Outbox, maxBatchSize } from './outbox.js';
export type { OutboxOptions, OutboxEnqueueOptions, PurgeSelection } from './outbox.js';
export { OutboxRelay } from './outbox-relay.js';
export type { OutboxRelayOptions, RelayBatchResult } from './relay-options.js';
export { throughQueue } from './through-queue.js';
export { openOutboxStore } from './open-outbox-store.js';
export type { OpenOutboxStoreOptions } from './open-outbox-store.js';
export type { QueuedSink, ThroughQueueOptions } from './through-queue.js';
export { SqliteOutboxStore } from './sqlite-outbox-store.js';
export type { SqliteOutboxStoreOptions, SqliteOutboxRow } from './sqlite-outbox-store.js';
export { RedisOutboxStore } from './redis-outbox-store.js';
export type { RedisOutboxStoreOptions } from './redis-outbox-store.js';
export { PostgresOutboxStore } from './postgres-outbox-store.js';
export type { PostgresOutboxStoreOptions, PostgresEnqueueOptions, PostgresQueryable } from './postgres-outbox-store.js';
export { OutboxError, OutboxErrorCode, isOutboxError } from './outbox-error.js';
export type { OutboxLogger } from './outbox-logger.js';

// For store authors.
export type {
  OutboxStore,
  OutboxEntry,
  ClaimOptions,
  ClaimedEvent,
  AttemptError,
  UndeliveredEvent,
  UndeliveredFilter,
  ListUndeliveredOptions,
  UndeliveredPage,
  RedeliverSelection,
} from './outbox-store.js';
