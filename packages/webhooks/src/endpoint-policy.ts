import type { EndpointHealth } from './endpoint-health.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

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

/** Why the endpoint policy disables an endpoint now, in words for `disabled.reason` and as a rule. */
export interface EndpointDisableDecision {
  readonly rule: EndpointDisabledNotice['reason'];
  readonly message: string;
}

/**
 * Checks the policy's numbers: each given one a positive integer (`disableAfterMs` at most 365
 * days), the callback a function.
 *
 * @throws {WebhookError} `INVALID_OPTIONS` naming the option.
 */
export function checkEndpointPolicy(policy: EndpointPolicyOptions): EndpointPolicyOptions {
  const { disableAfterFailures, disableAfterMs, onEndpointDisabled } = policy;
  if (disableAfterFailures !== undefined && (!Number.isSafeInteger(disableAfterFailures) || disableAfterFailures < 1)) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      'endpointPolicy.disableAfterFailures must be a positive integer',
    );
  }
  if (
    disableAfterMs !== undefined &&
    (!Number.isSafeInteger(disableAfterMs) || disableAfterMs < 1 || disableAfterMs > 365 * 24 * 3_600_000)
  ) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      'endpointPolicy.disableAfterMs must be a positive integer of ms, at most 365 days',
    );
  }
  if (onEndpointDisabled !== undefined && typeof onEndpointDisabled !== 'function') {
    throw new WebhookError(WebhookErrorCode.InvalidOptions, 'endpointPolicy.onEndpointDisabled must be a function');
  }
  return policy;
}

/**
 * Whether the policy disables an endpoint with this health at `now` (ms): after
 * `disableAfterFailures` consecutive failures, or once it has been failing without a success for
 * `disableAfterMs`. `undefined` while neither holds (or the endpoint is not failing).
 */
export function endpointDisableDecision(
  policy: EndpointPolicyOptions,
  health: EndpointHealth,
  now: number,
): EndpointDisableDecision | undefined {
  if (health.consecutiveFailures === 0) return undefined;
  const { disableAfterFailures, disableAfterMs } = policy;
  if (disableAfterFailures !== undefined && health.consecutiveFailures >= disableAfterFailures) {
    return {
      rule: 'consecutive-failures',
      message: `disabled after ${health.consecutiveFailures} consecutive failed attempts`,
    };
  }
  const since = health.failingSince === undefined ? undefined : Date.parse(health.failingSince);
  if (disableAfterMs !== undefined && since !== undefined && now - since >= disableAfterMs) {
    return {
      rule: 'failing-too-long',
      message: `disabled after failing without a success since ${health.failingSince ?? ''} (over ${disableAfterMs} ms)`,
    };
  }
  return undefined;
}
