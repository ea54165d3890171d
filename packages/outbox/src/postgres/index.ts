export { PostgresOutboxStore } from './postgres-outbox-store.js';
export type {
  PostgresOutboxStoreOptions,
  PostgresEnqueueOptions,
  PostgresQueryable,
} from './postgres-store-options.js';
