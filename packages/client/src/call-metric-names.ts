// Apart from the metrics themselves, so that the public types never name @opentelemetry/api (an
// optional peer): an application without it still type-checks with skipLibCheck off.

/** The names of the instruments an `EventClient` records its calls to. */
export const CallMetricNames = {
  /** Histogram, ms: from `sendEvent` to its outcome, retries included. */
  duration: 'events.client.duration',
  /** Counter: calls that reached an outcome. */
  calls: 'events.client.calls',
} as const;
