export { RedisWebhookStore } from './redis-webhook-store.js';
export type { RedisWebhookStoreOptions } from './redis-webhook-store.js';
export { RedisSubscriptionStore } from './redis-subscription-store.js';
export type { RedisSubscriptionStoreOptions } from './redis-subscription-store.js';
