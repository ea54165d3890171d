export { EventClient } from './event-client.js';
export { defaultTimeoutMs, defaultConnectionTimeoutMs } from './client-options.js';
export type { EventClientOptions, SendEventInit, SendOptions, ClientLogger, ClientTimeouts } from './client-options.js';
export type {
  SendResult,
  SuccessResult,
  ErrorResult,
  TimeoutResult,
  FailedDependencyResult,
  FailedDependencyReason,
  TransportPhase,
  TypedSendResult,
  TypedSuccessResult,
  TypedErrorResult,
  DeclaredErrorResult,
  UndeclaredErrorResult,
} from './send-result.js';
export {
  EventClientError,
  EventClientErrorCode,
  EventResponseError,
  EventTimeoutError,
  FailedDependencyError,
  isEventClientError,
  orThrow,
} from './client-error.js';
export type { RetryOption } from './retry-option.js';
export type { InProcessEventProcessor } from './in-process-transport.js';
export { FetchTransport } from './fetch-transport.js';
export type { FetchTransportOptions } from './fetch-transport.js';
export type { EventTransport, TransportRequest, TransportAnswer } from './event-transport.js';
export { TransportTimeoutError } from './event-transport.js';
export { defaultHttpTransport } from './default-transport.js';
export { CallMetricNames } from './call-metric-names.js';
export type { DefaultTransportOptions } from './default-transport.js';
export { deadlineHeader } from '@events-protocol/core';
