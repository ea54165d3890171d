export { EventRegistry } from './event-registry.js';
export type { EventUpcaster } from './upcast.js';
export type { HandlerDefinition } from './event-registry.js';
export type { HandlerRegistration } from './handler-registration.js';
export { EventHandler, handlerClassFor } from './event-handler.js';
export type {
  EventHandlerFunction,
  ContractHandler,
  HandlerContext,
  HandlerContextWith,
  EmptyContext,
  HandlerOptions,
  HandlerResult,
} from './event-handler.js';
export { contextMiddleware, reservedContextNames } from './context-middleware.js';
export type {
  ContextMiddleware,
  ContextNext,
  ContextAnswer,
  ReservedContextName,
  WithoutReservedNames,
} from './context-middleware.js';
export { EventProcessor } from './event-processor.js';
export { defaultHandlerTimeoutMs, defaultMaxInFlight } from './processor-options.js';
export type { ReplayOptions } from './replay-once.js';
export type { ReplayStore, ReplayClaim } from './replay-store.js';
export { MemoryReplayStore } from './memory-replay-store.js';
export { RedisReplayStore } from './redis-replay-store.js';
export type { ReplayRedisClient } from './redis-replay-store.js';
export type { EventProcessorOptions, ProcessEventOptions } from './processor-options.js';
export type { TraceCarrier } from './trace-carrier.js';
export { inProcessTransport, headersFromRecord } from './transport-info.js';
export type { TransportInfo, TransportHeaders } from './transport-info.js';
export type { EventMetrics, EventMeasurement } from './event-metrics.js';
export { PrometheusEventMetrics, defaultDurationBucketsMs } from './prometheus-event-metrics.js';
export type {
  PrometheusCollector,
  PrometheusRegistry,
  PrometheusSample,
  PrometheusLabels,
  PrometheusSeries,
  CollectedEventMetrics,
} from './prometheus-collectors.js';
export { OpenTelemetryEventMetrics, OpenTelemetryEventMetricNames } from './open-telemetry-event-metrics.js';
export { combineEventMetrics } from './combine-event-metrics.js';
export type { EventMiddleware, MiddlewareContext } from './middleware.js';
export { toNodeListener, createEventServer } from './node-http.js';
export { toFetchHandler, FetchEventRoute } from './fetch-handler.js';
export type { FetchHandler, FetchHandlerOptions } from './fetch-handler.js';
export type { FetchRemoteAddressReader } from './fetch-request-transport.js';
export { closeGracefully } from './close-gracefully.js';
export type { GracefulCloseOptions, GracefulCloseReport } from './close-gracefully.js';
export type { NodeListenerOptions, EventServerTimeouts } from './node-http.js';
export { applyServerLimits, defaultServerLimits } from './server-limits.js';
export type { ServerLimits } from './server-limits.js';
export { describeEvents } from './discovery.js';
export type { DiscoveryDocument, EventDescription } from './discovery.js';
export { asyncApiDocument } from './documents/asyncapi-document.js';
export type { AsyncApiDocument, AsyncApiDocumentOptions, AsyncApiVersion } from './documents/asyncapi-document.js';
export { openApiDocument } from './documents/openapi-document.js';
export type { OpenApiDocument } from './documents/openapi-document.js';
export type {
  ContractDocumentOptions,
  DocumentServer,
  DocumentSource,
  PublishedEventDocument,
} from './documents/document-options.js';
export { createEventLogger, silentLogger, redactedLogPaths } from './event-logger.js';
export type { EventLogger, LogMethod } from './event-logger.js';
export { ServerError, ServerErrorCode, isServerError } from './server-error.js';
export type { PayloadIssue } from './handler-answers.js';

// For adapter authors: the route policy, body reader and response writers every HTTP adapter shares.
export { EventRoute } from './route-policy.js';
export type { EventRouteOptions } from './route-policy.js';
export { EventRoutePolicy, RouteAction } from './event-route-policy.js';
export type { EventRoutePolicyOptions } from './event-route-policy.js';
export { ServedDocument, servedDocumentText } from './documents/served-document.js';
export { WebTransportHeaders } from './web-request-headers.js';
export { answerEventRequest, writeAnswer } from './answer-event-request.js';
export {
  readEventBody,
  writeJsonText,
  writeTransportRefusal,
  defaultMaxBodyBytes,
  isJsonContentType,
} from './http-transport.js';
export type { EventBodyReadResult } from './http-transport.js';
