import type { EndpointState, EndpointView } from './endpoint-health-view.js';

/** Every endpoint state, in the order metrics write them. */
export const endpointStates: readonly EndpointState[] = ['active', 'failing', 'disabled', 'paused'];

/** One endpoint as its metrics see it. */
export interface EndpointSample {
  readonly subscriptionId: string;
  readonly state: EndpointState;
  /** From 0 to 1; `undefined` before any counted attempt. */
  readonly successRate: number | undefined;
  readonly consecutiveFailures: number;
  readonly delivered: number;
  readonly failed: number;
}

/** One read of every endpoint: `up` false when the subscriptions could not be read. */
export type EndpointsReading =
  | {
      readonly up: true;
      /** Endpoints per state, all of them counted. */
      readonly byState: ReadonlyMap<EndpointState, number>;
      /** The endpoints labelled one by one: the oldest, up to the cap. */
      readonly endpoints: readonly EndpointSample[];
      /** Endpoints past the cap, counted in `byState` only. */
      readonly omitted: number;
    }
  | { readonly up: false };

/** The reading of a list of endpoint views, labelling at most `maxEndpoints` of them. */
export function endpointsReadingOf(views: readonly EndpointView[], maxEndpoints: number): EndpointsReading {
  const byState = new Map<EndpointState, number>(endpointStates.map((state) => [state, 0]));
  for (const view of views) byState.set(view.state, (byState.get(view.state) ?? 0) + 1);
  const endpoints = views.slice(0, maxEndpoints).map((view): EndpointSample => ({
    subscriptionId: view.subscription.id,
    state: view.state,
    successRate: view.successRate,
    consecutiveFailures: view.health.consecutiveFailures,
    delivered: view.health.delivered,
    failed: view.health.failed,
  }));
  return { up: true, byState, endpoints, omitted: views.length - endpoints.length };
}
