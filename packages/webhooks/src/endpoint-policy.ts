/**
 * When a dispatcher disables a failing endpoint (a subscription) by itself, as hosted webhook
 * services do: after `disableAfterFailures` consecutive failed attempts, or once it has failed
 * without a success for `disableAfterMs`. Either, both or neither may be set.
 */
export interface EndpointPolicyOptions {
  /** Consecutive failed attempts after which the subscription is disabled; never when absent. */
  disableAfterFailures?: number;
  /** How long an endpoint may fail without one success before it is disabled, in ms; never when absent. */
  disableAfterMs?: number;
  /** Called once each time the dispatcher disables a subscription. A callback that throws is logged. */
  onEndpointDisabled?: (notice: EndpointDisabledNotice) => void | Promise<void>;
}

/** What {@link EndpointPolicyOptions.onEndpointDisabled} hears. */
export interface EndpointDisabledNotice {
  readonly subscriptionId: string;
  readonly eventType: string;
  readonly targetUrl: string;
  /** Which rule disabled it. */
  readonly reason: 'consecutive-failures' | 'failing-too-long';
  readonly consecutiveFailures: number;
  /** The first failure after the last success. */
  readonly failingSince: Date;
  readonly disabledAt: Date;
}
