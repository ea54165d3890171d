export { SqliteWebhookStore } from './sqlite-webhook-store.js';
export type { SqliteWebhookDatabase, SqliteWebhookStoreOptions } from './sqlite-webhook-store.js';
export { SqliteSubscriptionStore } from './sqlite-subscription-store.js';
export type { SqliteSubscriptionStoreOptions } from './sqlite-subscription-store.js';
