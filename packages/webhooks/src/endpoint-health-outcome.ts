import type { AttemptRecord } from '@events-protocol/outbox';

/** Failures that say something about the endpoint: it refused, did not answer, or could not be reached. */
const endpointFailures: ReadonlySet<string> = new Set(['REJECTED', 'TIMEOUT', 'UNREACHABLE']);

/**
 * Whether an attempt counts towards its endpoint's health, and how: `delivered` for a 2xx answer,
 * `failed` when the endpoint refused (a non-2xx answer), timed out or could not be reached, and
 * `undefined` for everything that says nothing about the endpoint: an interrupted attempt
 * (`LEASE_EXPIRED`: the dispatcher crashed or stopped, not the receiver), an `UNDELIVERABLE`
 * refusal by the dispatcher itself (the subscription is inactive or deleted, or its secret or URL
 * unusable), a budget already spent or a schedule not found (nothing was sent), an abort.
 */
export function healthOutcomeOf(attempt: AttemptRecord): 'delivered' | 'failed' | undefined {
  if (attempt.outcome === 'delivered') return 'delivered';
  if (attempt.outcome !== 'failed') return undefined;
  const code = attempt.error?.code;
  return code !== undefined && endpointFailures.has(code) ? 'failed' : undefined;
}
