export { WebhookDispatcher } from './webhook-dispatcher.js';
export type { WebhookDispatcherOptions, DeliveryStatus, DeliverEventOptions } from './webhook-dispatcher.js';
export { WebhookSubscriptions } from './webhook-subscriptions.js';
export { WebhookSink } from './webhook-sink.js';
export { WebhookDeliverySink, deliveryBody } from './webhook-delivery-sink.js';
export type { WebhookDeliverySinkOptions } from './webhook-delivery-sink.js';
export { WebhookDeliveries } from './webhook-deliveries.js';
export type {
  WebhookDelivery,
  WebhookDeliveryViews,
  ListDeliveriesOptions,
  DeliveryPage,
  DeliverySelection,
  DeliveryPurge,
} from './webhook-deliveries.js';
export { webhookDeliveryId, parseWebhookDeliveryId } from './delivery-id.js';
export { subscriptionInputSchema, subscriptionPatchSchema, redactSubscription, defaultRetry } from './subscription.js';
export type { Subscription, SubscriptionInput, SubscriptionPatch, WebhookAuth } from './subscription.js';
export { signWebhook, signatureHeaders } from './sign-webhook.js';
export { generateWebhookSecret, isWebhookSecret } from './webhook-secret.js';
export { verifyWebhook } from './verify-webhook.js';
export { receiveWebhook, receiveWebhookRequest } from './receive-webhook.js';
export type {
  ReceiveWebhookOptions,
  WebhookHeaders,
  WebhookReceiveResult,
  WebhookReceipt,
  WebhookRefusal,
  WebhookRefusalReason,
  ReceivedWebhookEvent,
} from './receive-webhook.js';
export type { ContractDeliveryFields } from './delivery-arguments.js';
export type { WebhookVerification } from './verify-webhook.js';
export { checkTargetUrl, isBlockedAddress } from './target-policy.js';
export type { TargetPolicy } from './target-policy.js';
export { systemLookup } from './target-lookup.js';
export type { TargetLookup, ResolvedAddress } from './target-lookup.js';
export type { WebhookCallback, WebhookAttemptReport } from './webhook-callback.js';
export type { WebhookTimeouts } from './dispatcher-settings.js';
export type { AttemptResponse, DeliveryTimeouts } from './deliver-request.js';
export type { WebhookLogger } from './webhook-logger.js';
export type { EndpointPolicyOptions, EndpointDisabledNotice } from './endpoint-policy.js';
export { EndpointLimiter, defaultLimitWaitMs } from './endpoint-limiter.js';
export type { EndpointLimiterOptions, EndpointPermit } from './endpoint-limiter.js';
export type { EndpointLimits } from './endpoint-gate.js';
export { emptyEndpointHealth, endpointSuccessRate } from './endpoint-health.js';
export type { EndpointHealth, EndpointAttemptOutcome } from './endpoint-health.js';
export { healthOutcomeOf } from './endpoint-health-outcome.js';
export { endpointStateOf } from './endpoint-health-view.js';
export type { EndpointState, EndpointView, RedactedSubscription } from './endpoint-health-view.js';
export { signingSecrets } from './signing-secrets.js';
export { defaultRotationOverlapMs, maxRotationOverlapMs } from './webhook-subscriptions.js';
export type { RotateSecretOptions, RotatedSecret } from './webhook-subscriptions.js';
export { WebhookEndpointMetrics } from './endpoint-metrics.js';
export type { EndpointMetricsSource, EndpointMetricsOptions } from './endpoint-metrics.js';
export { OpenTelemetryEndpointMetricNames } from './endpoint-metrics-instruments.js';
export type { EndpointMeter } from './endpoint-metrics-instruments.js';
export { endpointStates } from './endpoint-metrics-reading.js';
export type { EndpointSample, EndpointsReading } from './endpoint-metrics-reading.js';
export { WebhookError, WebhookErrorCode, isWebhookError } from './webhook-error.js';
export type { WebhookIssue } from './webhook-error.js';

// For store authors: the contract `@events-protocol/webhooks/sqlite`, `/postgres` and `/redis` implement.
export type { WebhookStore, SubscriptionStore } from './webhook-store.js';
export { maxSubscriptionCacheMs } from './subscription-cache.js';
