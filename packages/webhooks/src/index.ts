export { WebhookDispatcher } from './webhook-dispatcher.js';
export type { WebhookDispatcherOptions, DeliveryStatus } from './webhook-dispatcher.js';
export { WebhookSubscriptions } from './webhook-subscriptions.js';
export { WebhookSink } from './webhook-sink.js';
export { webhooksRouter } from './webhooks-router.js';
export type { WebhooksRouterOptions } from './webhooks-router.js';
export { SqliteWebhookStore } from './sqlite-webhook-store.js';
export type {
  WebhookStore,
  SubscriptionStore,
  DeliveryStore,
  Delivery,
  DeliveryState,
  AttemptRecord,
  AttemptOutcome,
} from './webhook-store.js';
export { subscriptionInputSchema, subscriptionPatchSchema, redactSubscription } from './subscription.js';
export type { Subscription, SubscriptionInput, SubscriptionPatch, WebhookAuth } from './subscription.js';
export { signWebhook, signatureHeaders } from './sign-webhook.js';
export { generateWebhookSecret, isWebhookSecret } from './webhook-secret.js';
export { verifyWebhook } from './verify-webhook.js';
export type { WebhookVerification } from './verify-webhook.js';
export { checkTargetUrl, isBlockedAddress } from './target-policy.js';
export type { TargetPolicy } from './target-policy.js';
export { systemLookup } from './target-lookup.js';
export type { TargetLookup, ResolvedAddress } from './target-lookup.js';
export type { WebhookCallback, WebhookAttemptReport } from './webhook-callback.js';
export type { AttemptResponse, DeliveryTimeouts } from './deliver-request.js';
export type { WebhookLogger } from './webhook-logger.js';
export { WebhookError, WebhookErrorCode, isWebhookError } from './webhook-error.js';
export type { WebhookIssue } from './webhook-error.js';
