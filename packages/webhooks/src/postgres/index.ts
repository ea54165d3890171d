export { PostgresWebhookStore } from './postgres-webhook-store.js';
export type { PostgresWebhookStoreOptions } from './postgres-webhook-store.js';
export { PostgresSubscriptionStore } from './postgres-subscription-store.js';
export type { PostgresSubscriptionStoreOptions } from './postgres-subscription-store.js';
