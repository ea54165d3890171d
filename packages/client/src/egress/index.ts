export { HttpEgress, defaultMaxResponseBytes, defaultConnections } from './http-egress.js';
export type { HttpEgressOptions, EgressRequest } from './http-egress.js';
export type { EgressResponse } from './egress-exchange.js';
export { EgressError, EgressErrorCode, isEgressError } from './egress-error.js';
export type { EgressFailure, EgressPhase } from './egress-error.js';
export { readEgressTimeouts, defaultEgressTimeoutMs } from './egress-timeouts.js';
export type { EgressTimeouts, PhaseTimeouts } from './egress-timeouts.js';
export { parseRetryAfter, retryAfterOf, retryAfterStatuses } from './retry-after.js';

// For transport authors: the failure mapping the egress applies, to read errors of other I/O alike.
export { readEgressFailure, causeChain, describeError } from './egress-failure.js';
export type { FailureContext } from './egress-failure.js';
