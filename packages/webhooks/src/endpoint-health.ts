/**
 * How an endpoint (a subscription's target) has been answering, kept beside the subscription and
 * updated atomically by every counted attempt of every dispatcher. Counts run since the
 * subscription was created or last re-enabled (`enable` resets them).
 */
export interface EndpointHealth {
  readonly subscriptionId: string;
  /** Failed attempts since the last delivered one. */
  readonly consecutiveFailures: number;
  /** The first failure after the last success (ISO-8601); absent while the endpoint is not failing. */
  readonly failingSince?: string | undefined;
  readonly lastDeliveredAt?: string | undefined;
  readonly lastFailedAt?: string | undefined;
  /** Counted attempts that delivered. */
  readonly delivered: number;
  /** Counted attempts that failed. */
  readonly failed: number;
}

/** One counted attempt, as a store records it. */
export interface EndpointAttemptOutcome {
  /** Whether the endpoint took the delivery (a 2xx answer). */
  readonly delivered: boolean;
  /** When the attempt was made (the latest, for a run of deliveries). */
  readonly at: Date;
  /**
   * For a delivered outcome: how many consecutive deliveries it stands for (1 by default), so that
   * a dispatcher can write a run of them at once. A failure always counts one.
   */
  readonly count?: number;
}

/** The health of an endpoint nothing was counted for yet. */
export function emptyEndpointHealth(subscriptionId: string): EndpointHealth {
  return { subscriptionId, consecutiveFailures: 0, delivered: 0, failed: 0 };
}

/** The share of counted attempts that delivered, from 0 to 1; `undefined` before any. */
export function endpointSuccessRate(health: EndpointHealth): number | undefined {
  const total = health.delivered + health.failed;
  return total === 0 ? undefined : health.delivered / total;
}

/** A health record as SQL stores keep it: times in ms since the epoch, `null` when absent. */
export interface EndpointHealthRow {
  subscription_id: string;
  consecutive_failures: number | string;
  failing_since: number | string | null;
  last_delivered_at: number | string | null;
  last_failed_at: number | string | null;
  delivered: number | string;
  failed: number | string;
}

function isoOf(ms: number | string | null): string | undefined {
  return ms === null ? undefined : new Date(Number(ms)).toISOString();
}

/** A stored row (numbers may come back as strings, as PostgreSQL's BIGINT does) as an {@link EndpointHealth}. */
export function endpointHealthOfRow(row: EndpointHealthRow): EndpointHealth {
  const failingSince = isoOf(row.failing_since);
  const lastDeliveredAt = isoOf(row.last_delivered_at);
  const lastFailedAt = isoOf(row.last_failed_at);
  return {
    subscriptionId: row.subscription_id,
    consecutiveFailures: Number(row.consecutive_failures),
    ...(failingSince === undefined ? {} : { failingSince }),
    ...(lastDeliveredAt === undefined ? {} : { lastDeliveredAt }),
    ...(lastFailedAt === undefined ? {} : { lastFailedAt }),
    delivered: Number(row.delivered),
    failed: Number(row.failed),
  };
}
