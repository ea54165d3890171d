import { endpointSuccessRate, type EndpointHealth } from './endpoint-health.js';
import { redactSubscription, type Subscription } from './subscription.js';

/**
 * Where an endpoint stands: `active` (delivering, its last counted attempt delivered or none yet),
 * `failing` (active, but its latest attempts failed), `disabled` (turned off by the endpoint
 * policy or by an operator's `disable`, with `disabled` saying when and why), `paused` (made
 * inactive by an update, `active: false`, without a reason).
 */
export type EndpointState = 'active' | 'failing' | 'disabled' | 'paused';

/** A subscription as shown outside: secrets and credentials masked (see `redactSubscription`). */
export type RedactedSubscription = ReturnType<typeof redactSubscription>;

/** One endpoint as operators, metrics and the console see it. */
export interface EndpointView {
  readonly subscription: RedactedSubscription;
  readonly state: EndpointState;
  readonly health: EndpointHealth;
  /** The share of counted attempts that delivered since the subscription was created or re-enabled; `undefined` before any. */
  readonly successRate: number | undefined;
}

/** The state of a subscription with this health. */
export function endpointStateOf(subscription: Subscription, health: EndpointHealth): EndpointState {
  if (!subscription.active) return subscription.disabled === undefined ? 'paused' : 'disabled';
  return health.consecutiveFailures > 0 ? 'failing' : 'active';
}

/** The view of one endpoint. */
export function endpointViewOf(subscription: Subscription, health: EndpointHealth): EndpointView {
  return {
    subscription: redactSubscription(subscription),
    state: endpointStateOf(subscription, health),
    health,
    successRate: endpointSuccessRate(health),
  };
}
